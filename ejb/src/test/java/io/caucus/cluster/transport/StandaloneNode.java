package io.caucus.cluster.transport;

import java.time.Duration;

/**
 * A transport node in its own JVM, for tests that must freeze or kill a real process. Arguments:
 * node name, internal port, known ports... Prints {@code READY} when started; exits when its
 * standard input closes (so it never outlives the test that started it).
 */
public final class StandaloneNode {

  public static void main(String[] args) throws Exception {
    TransportConfig.Builder b =
        TransportConfig.builder(args[0])
            .clusterName("caucus-test")
            .bindPort(Integer.parseInt(args[1]))
            .failureDetectionTimeout(Duration.ofSeconds(60))
            .joinTimeout(Duration.ofMillis(500))
            .mergeMaxInterval(Duration.ofSeconds(2));
    for (int i = 2; i < args.length; i++) {
      b.initialHost(new NodeAddress("127.0.0.1", Integer.parseInt(args[i])));
    }
    try (JGroupsTransport t = new JGroupsTransport(b.build())) {
      t.register("g", (from, payload) -> {});
      t.start();
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }

  private StandaloneNode() {}
}
