package io.caucus.cluster.transport;

/**
 * Receives the messages of one replication group. Called on a JGroups receive thread, one thread at
 * a time per sending node, possibly concurrently for different senders: implementations are thread
 * safe and only enqueue the message into the group's inbox (see {@link Transport}).
 */
@FunctionalInterface
public interface GroupMessageHandler {

  /**
   * @param fromNode the sending node's name
   * @param payload the bytes given to {@link Transport#send}; owned by the handler from now on
   */
  void onMessage(String fromNode, byte[] payload);
}
