package io.caucus.cluster.rpc;

import io.caucus.eventstore.ApplyResult;
import java.util.Objects;

/** The leader's answer to a forwarded append: the store's verdict, or {@link NotLeaderReply}. */
public sealed interface AppendReply permits AppendReply.Applied, NotLeaderReply {

  /** The entry was committed and applied; {@code result} is the state machine's verdict. */
  record Applied(ApplyResult result) implements AppendReply {
    public Applied {
      Objects.requireNonNull(result, "result");
    }
  }
}
