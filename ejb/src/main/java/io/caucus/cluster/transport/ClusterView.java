package io.caucus.cluster.transport;

import java.util.Set;

/**
 * The nodes this node can currently reach, by name, and what changed since the previous view.
 *
 * @param id JGroups view id (increasing within one coordinator's reign; for logs only)
 * @param members every node in the view, this node included
 * @param joined nodes new in this view, including a node that restarted (same name, new
 *     incarnation)
 * @param left nodes no longer in the view
 */
public record ClusterView(long id, Set<String> members, Set<String> joined, Set<String> left) {

  public ClusterView {
    members = Set.copyOf(members);
    joined = Set.copyOf(joined);
    left = Set.copyOf(left);
  }
}
