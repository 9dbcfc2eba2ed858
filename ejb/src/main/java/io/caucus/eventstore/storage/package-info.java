/**
 * The event store's storage port ({@link io.caucus.eventstore.storage.StoragePort}: a handful of
 * durable byte maps) and its in-memory implementation. No event-store logic and no framework types
 * belong here.
 */
package io.caucus.eventstore.storage;
