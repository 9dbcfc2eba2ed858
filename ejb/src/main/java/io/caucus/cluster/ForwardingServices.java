package io.caucus.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Names of the node-to-node services a group's leader answers, and the forwarded append format. */
final class ForwardingServices {

  static final String APPEND = "caucus.append";
  static final String ADMIN = "caucus.admin";
  static final String ADMIN_ON_LEADER = "caucus.admin-on-leader";
  static final String IDENTITY = "caucus.identity";
  static final String READ = "caucus.read";

  private ForwardingServices() {}

  static byte[] encodeAppend(LeaderRequest.Append a) {
    var bytes = new ByteArrayOutputStream(a.command().length + 64);
    try (var out = new DataOutputStream(bytes)) {
      out.writeUTF(a.group());
      out.write(a.command());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
