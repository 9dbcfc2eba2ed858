/**
 * The {@code _admin} replication group's state machine: the cluster structure (nodes, replication
 * groups with their members and roles, contexts with their properties), the admin commands that
 * change it and their binary codec, snapshots of it, and the plan that turns a group's wanted
 * member list into one-at-a-time membership changes (DESIGN.md §4).
 *
 * <p>What belongs here: plain, deterministic Java; no threads, clocks, I/O or Jakarta EE types. The
 * cluster runtime feeds committed {@code _admin} entries to {@link
 * io.caucus.cluster.admin.AdminStateMachine#apply}, and acts on the {@link
 * io.caucus.cluster.admin.StructureDiff}s it reports.
 */
package io.caucus.cluster.admin;
