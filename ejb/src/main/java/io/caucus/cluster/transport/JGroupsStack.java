package io.caucus.cluster.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jgroups.JChannel;

/**
 * Builds a node's {@link JChannel} from the stack XML ({@code caucus-jgroups.xml} on the class
 * path, or {@link TransportConfig#stackFile()}), filling its {@code ${caucus.*}} placeholders from
 * the {@link TransportConfig} instead of system properties, so that several nodes with their own
 * ports can live in one JVM (tests, benchmarks). The XML stays the one description of the stack.
 *
 * <p>Placeholders: {@code caucus.bind_addr}, {@code caucus.bind_port}, {@code
 * caucus.initial_hosts}, {@code caucus.fd_sock_offset}, {@code caucus.fd_timeout}, {@code
 * caucus.fd_interval}, {@code caucus.join_timeout}, {@code caucus.merge_min_interval}, {@code
 * caucus.merge_max_interval}. Any other {@code ${...}} is left for JGroups (system properties). An
 * unknown {@code ${caucus.*}} placeholder is an error, so that a typo in a custom stack file does
 * not pass silently.
 *
 * <p>Stateless; thread safe.
 */
public final class JGroupsStack {

  /** Class-path resource of the built-in stack. */
  public static final String BUILT_IN = "caucus-jgroups.xml";

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{(caucus\\.[A-Za-z0-9_.]+)(?::([^}]*))?}");

  private JGroupsStack() {}

  /**
   * A new, unconnected channel for {@code config}.
   *
   * @throws TransportException if the stack file cannot be read or JGroups rejects it
   */
  public static JChannel newChannel(TransportConfig config) {
    String xml = resolve(readTemplate(config), variables(config));
    try {
      return new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new TransportException(
          "JGroups rejected the stack "
              + source(config)
              + ": "
              + e.getMessage()
              + "; fix the stack file or remove it to use the built-in one",
          e);
    }
  }

  /** The values substituted for the {@code ${caucus.*}} placeholders. */
  static Map<String, String> variables(TransportConfig config) {
    Set<NodeAddress> hosts = new LinkedHashSet<>();
    hosts.add(config.localAddress());
    hosts.addAll(config.initialHosts());
    long fdTimeout = config.failureDetectionTimeout().toMillis();
    long mergeMax = config.mergeMaxInterval().toMillis();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("caucus.bind_addr", config.bindHost());
    v.put("caucus.bind_port", Integer.toString(config.bindPort()));
    v.put(
        "caucus.initial_hosts",
        hosts.stream().map(NodeAddress::toJGroups).collect(Collectors.joining(",")));
    v.put("caucus.fd_sock_offset", Integer.toString(config.failureDetectionPortOffset()));
    v.put("caucus.fd_timeout", Long.toString(fdTimeout));
    // FD_ALL3 wants several heartbeats per timeout; five is what its own defaults use.
    v.put("caucus.fd_interval", Long.toString(Math.max(100, fdTimeout / 5)));
    v.put("caucus.join_timeout", Long.toString(config.joinTimeout().toMillis()));
    v.put("caucus.merge_min_interval", Long.toString(Math.max(100, mergeMax / 5)));
    v.put("caucus.merge_max_interval", Long.toString(mergeMax));
    return v;
  }

  /**
   * Replaces the known {@code ${caucus.*}} placeholders (with or without a default) by their
   * XML-escaped values.
   *
   * @throws TransportException naming an unknown {@code caucus.*} placeholder
   */
  static String resolve(String template, Map<String, String> variables) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new TransportException(
            "the JGroups stack uses the unknown placeholder ${"
                + m.group(1)
                + "}; known ones are "
                + variables.keySet());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escapeXml(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }

  private static String readTemplate(TransportConfig config) {
    try {
      if (config.stackFile() != null) {
        return Files.readString(config.stackFile(), StandardCharsets.UTF_8);
      }
      try (InputStream in = JGroupsStack.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
        if (in == null) {
          throw new TransportException(
              BUILT_IN + " is missing from the class path: the deployment is incomplete");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new TransportException(
          "cannot read the JGroups stack " + source(config) + ": " + e.getMessage(), e);
    }
  }

  private static String source(TransportConfig config) {
    return config.stackFile() != null ? config.stackFile().toString() : BUILT_IN;
  }
}
