package io.caucus.cluster.rpc;

/**
 * The names of every node-to-node request/reply service (see {@code Transport#registerService}).
 * The names are part of the protocol between nodes: never rename one.
 */
public final class Services {

  /** A forwarded append ({@link LeaderRequest.Append} in, {@link AppendReply} out). */
  public static final String APPEND = "caucus.append";

  /**
   * An admin command for a node that may not lead {@code _admin}: it forwards once to the leader it
   * knows ({@code AdminCommandCodec} bytes in, {@code AdminResult} in the {@link RpcCodec} format
   * out).
   */
  public static final String ADMIN = "caucus.admin";

  /** An admin command for the node believed to lead {@code _admin}; never forwarded further. */
  public static final String ADMIN_ON_LEADER = "caucus.admin-on-leader";

  /** A read forced to the leader ({@link LeaderRead} in, {@link ReadReply} out). */
  public static final String READ = "caucus.read";

  /** One chunk of a snapshot transfer, leader to follower ({@code SnapshotChunk}'s own format). */
  public static final String SNAPSHOT_CHUNK = "caucus.snapshot-chunk";

  private Services() {}
}
