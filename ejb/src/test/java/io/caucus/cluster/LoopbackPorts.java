package io.caucus.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Free ports on 127.0.0.1 for tests that start several runtimes in one JVM. */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /**
   * A base port such that base + 1..3 (internal ports of three nodes) and base + 101..103 (their
   * failure-detection ports) are all free now.
   */
  static int freeBaseForThreeNodes() {
    SplittableRandom random = new SplittableRandom();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 30000 + random.nextInt(20000);
      if (IntStream.of(1, 2, 3, 101, 102, 103).allMatch(offset -> isFree(base + offset))) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range on 127.0.0.1");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
