/**
 * The {@code _admin} replication group's state machine: the cluster structure (nodes, replication
 * groups with their members and roles, contexts with their properties), the admin commands that
 * change it and their binary codec, snapshots of it, and the plan that turns a group's wanted
 * member list into one-at-a-time membership changes (DESIGN.md §4).
 *
 * <p>What belongs here: plain, deterministic Java; no threads, clocks, I/O or Jakarta EE types.
 *
 * <p>How the cluster runtime uses it:
 *
 * <ol>
 *   <li><b>Propose</b> a change on {@code _admin}'s leader as a {@code NORMAL} entry whose data is
 *       {@link io.caucus.cluster.admin.AdminCommandCodec#encode}; a node that does not lead
 *       forwards those bytes to the leader (transport request) and gets back {@link
 *       io.caucus.cluster.admin.AdminResult#encode()}.
 *   <li><b>Apply</b> every committed {@code NORMAL} entry of {@code _admin}, in order, with {@link
 *       io.caucus.cluster.admin.AdminStateMachine#apply}{@code (entry.index(), entry.data())}; the
 *       result completes the caller waiting for that index.
 *   <li><b>React</b> through a {@link io.caucus.cluster.admin.StructureListener}: start, stop or
 *       re-role group runners and create or drop context stores as each {@link
 *       io.caucus.cluster.admin.StructureDiff} says for this node; once a runner has stopped,
 *       delete or keep its data as the diff's {@code deleteData} says (a restored snapshot never
 *       asks to delete).
 *   <li><b>Converge memberships</b>: the leader of each group proposes {@link
 *       io.caucus.cluster.admin.MembershipPlanner#nextChange}{@code (committed, wanted, itself)}
 *       with {@code wanted = structure().group(name).members()}, one change at a time.
 *   <li><b>Snapshot</b> with {@link io.caucus.cluster.admin.AdminStateMachine#snapshot()} when
 *       compacting {@code _admin}'s log, and {@link
 *       io.caucus.cluster.admin.AdminStateMachine#restore} on start-up or when a snapshot is
 *       installed from the leader.
 *   <li><b>Read</b> (REST, readiness) from {@link
 *       io.caucus.cluster.admin.AdminStateMachine#structure()}, an immutable value.
 * </ol>
 */
package io.caucus.cluster.admin;
