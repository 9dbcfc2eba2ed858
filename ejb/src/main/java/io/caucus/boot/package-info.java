/**
 * Start-up of a node: configuration with Axon Server's property names and precedence, the checks
 * that stop a node which cannot run (unparseable values, unwritable directories), and the startup
 * bean that decides between autocluster, resuming from local state and waiting to be initialised.
 *
 * <p>What does not belong here: the cluster runtime itself ({@code io.caucus.cluster}) and anything
 * the web layer calls ({@code io.caucus.api}).
 */
package io.caucus.boot;
