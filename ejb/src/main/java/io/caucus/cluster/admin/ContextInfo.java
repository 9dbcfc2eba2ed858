package io.caucus.cluster.admin;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A context as {@code _admin} knows it.
 *
 * @param name context name
 * @param replicationGroup the replication group that stores it
 * @param metaData properties of the context (sorted by key; copied)
 */
public record ContextInfo(String name, String replicationGroup, Map<String, String> metaData) {

  public ContextInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(replicationGroup, "replicationGroup");
    metaData = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metaData)));
  }
}
