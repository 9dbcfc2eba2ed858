package io.caucus.cluster.rpc;

/**
 * The answer of a node that cannot serve a forwarded append or read because it does not lead the
 * group (or lost leadership on the way).
 *
 * @param group the group
 * @param leaderHint the leader the answering node knows of, or {@code null}
 * @param why a sentence saying why
 * @param retryable whether the request certainly had no effect (false: an append was proposed and
 *     its outcome is unknown)
 */
public record NotLeaderReply(String group, String leaderHint, String why, boolean retryable)
    implements AppendReply, ReadReply {}
