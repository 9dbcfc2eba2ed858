/**
 * The event store's storage port on embedded Infinispan: local caches persisted by
 * SoftIndexFileStores, one folder per context under the node's event storage directory, built from
 * the template of an Infinispan XML file ({@code caucus-infinispan.xml}, or the node's own). The
 * only package of the event store that imports Infinispan. {@code TornTailRepair} cuts a record
 * torn by a failed write (full disk) off the data files before a store opens.
 */
package io.caucus.eventstore.infinispan;
