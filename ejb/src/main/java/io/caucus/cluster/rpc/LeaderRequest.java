package io.caucus.cluster.rpc;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.eventstore.ApplyResult;
import java.util.Objects;

/**
 * A request that only the leader of a replication group may serve, typed by its reply {@code R}:
 * what {@code io.caucus.cluster.LeaderForwarder} carries to the leader (here, or over the
 * transport) and back. Immutable values.
 *
 * @param <R> the leader's answer
 */
public sealed interface LeaderRequest<R> {

  /** The group whose leader serves it. */
  String group();

  /**
   * Whether the request may be sent again after it reached a leader whose answer was lost (a
   * timeout, the leader left): true for reads, false for anything that changes state.
   */
  boolean idempotent();

  /** An event-store command appended to a group's log; answered with the store's verdict. */
  record Append(String group, byte[] command) implements LeaderRequest<ApplyResult> {
    public Append {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(command, "command");
    }

    @Override
    public boolean idempotent() {
      return false;
    }
  }

  /** A read served by the leader after a read barrier. */
  record Read(String group, LeaderRead read) implements LeaderRequest<ReadReply> {
    public Read {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(read, "read");
    }

    @Override
    public boolean idempotent() {
      return true;
    }
  }

  /**
   * An admin command for the {@code _admin} leader.
   *
   * @param via when this node knows no {@code _admin} leader (it does not follow {@code _admin}
   *     yet), the node asked instead, which forwards once to the leader it knows; may be null
   */
  record Admin(AdminCommand command, String via) implements LeaderRequest<AdminResult> {
    public Admin {
      Objects.requireNonNull(command, "command");
    }

    @Override
    public String group() {
      return ClusterStructure.ADMIN;
    }

    @Override
    public boolean idempotent() {
      return false;
    }
  }
}
