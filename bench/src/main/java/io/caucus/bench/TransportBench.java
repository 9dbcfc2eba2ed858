package io.caucus.bench;

import io.caucus.cluster.transport.JGroupsTransport;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.cluster.transport.TransportConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What the JGroups transport costs on loopback, against plain TCP sockets measured in the same run.
 *
 * <p>1. One-way group messages A→B (fire-and-forget, as RAFT AppendEntries travel): messages per
 * second until B has received all; baseline: length-prefixed frames over one buffered socket. 2.
 * Request/reply round trips, one at a time (as a forwarded append waits): latency; baseline:
 * ping-pong of the same frames over one socket with TCP_NODELAY.
 *
 * <p>Run: {@code java -cp bench/target/caucus-bench.jar io.caucus.bench.TransportBench [messages]
 * [size] [rounds] [roundTrips]} (defaults 100000 1024 5 5000).
 */
public final class TransportBench {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int roundTrips = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
    System.out.printf(
        "TransportBench: %d messages of %d B, %d rounds, %d round trips per round%n",
        messages, size, rounds, roundTrips);

    int[] ports = freePorts(2);
    try (JGroupsTransport a = node("bench-a", ports[0], ports[1]);
        JGroupsTransport b = node("bench-b", ports[1], ports[0])) {
      a.start();
      b.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (a.reachableNodes().size() < 2 || b.reachableNodes().size() < 2) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the two nodes did not see each other in 30 s");
        }
        Thread.sleep(50);
      }
      AtomicLong received = new AtomicLong();
      CountDownLatch[] done = new CountDownLatch[1];
      long[] target = new long[1];
      b.register(
          "bench",
          (from, payload) -> {
            if (received.incrementAndGet() == target[0]) {
              done[0].countDown();
            }
          });
      b.registerService("echo", (from, payload) -> CompletableFuture.completedFuture(payload));

      double[] jgThroughput = new double[rounds];
      double[] tcpThroughput = new double[rounds];
      double[] jgRtt = new double[rounds];
      double[] tcpRtt = new double[rounds];
      double[] jgRtt99 = new double[rounds];
      double[] tcpRtt99 = new double[rounds];
      byte[] payload = new byte[size];
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        received.set(0);
        target[0] = messages;
        done[0] = new CountDownLatch(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          a.send("bench", "bench-b", payload);
        }
        if (!done[0].await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + received.get() + " messages arrived");
        }
        double jg = messages / seconds(t0);
        double tcp = socketThroughput(messages, size);

        Histogram h = new Histogram(3);
        for (int i = 0; i < roundTrips; i++) {
          long s = System.nanoTime();
          a.request("bench-b", "echo", payload, Duration.ofSeconds(10)).get();
          h.recordValue((System.nanoTime() - s) / 1000);
        }
        Histogram hs = socketRoundTrips(roundTrips, size);
        if (r >= 0) {
          jgThroughput[r] = jg;
          tcpThroughput[r] = tcp;
          jgRtt[r] = h.getValueAtPercentile(50);
          jgRtt99[r] = h.getValueAtPercentile(99);
          tcpRtt[r] = hs.getValueAtPercentile(50);
          tcpRtt99[r] = hs.getValueAtPercentile(99);
          System.out.printf(
              "round %d: one-way %.0f msg/s (tcp %.0f), rtt p50 %.0f us (tcp %.0f), p99 %.0f us"
                  + " (tcp %.0f)%n",
              r, jg, tcp, jgRtt[r], tcpRtt[r], jgRtt99[r], tcpRtt99[r]);
        }
      }
      System.out.println();
      report("one-way msg/s      ", jgThroughput, tcpThroughput);
      report("request rtt p50 us ", jgRtt, tcpRtt);
      report("request rtt p99 us ", jgRtt99, tcpRtt99);
      System.out.printf(
          "one-way MB/s (median): transport %.1f%n", median(jgThroughput) * size / 1e6);
      System.out.println("transport stats of A: " + a.stats());
    }
  }

  private static void report(String what, double[] transport, double[] tcp) {
    double[] ratio = new double[transport.length];
    for (int i = 0; i < ratio.length; i++) {
      ratio[i] = transport[i] / tcp[i];
    }
    System.out.printf(
        "%s transport median %.1f [%.1f..%.1f]  tcp median %.1f [%.1f..%.1f]  ratio median %.2f"
            + " [%.2f..%.2f]%n",
        what,
        median(transport),
        min(transport),
        max(transport),
        median(tcp),
        min(tcp),
        max(tcp),
        median(ratio),
        min(ratio),
        max(ratio));
  }

  private static JGroupsTransport node(String name, int port, int other) {
    TransportConfig.Builder b =
        TransportConfig.builder(name)
            .clusterName("caucus-bench")
            .bindPort(port)
            .initialHost(new NodeAddress("127.0.0.1", other));
    String stack = System.getProperty("caucus.bench.stack");
    if (stack != null) {
      b.stackFile(java.nio.file.Path.of(stack)); // to compare stack settings
    }
    return new JGroupsTransport(b.build());
  }

  /** One-way: a writer thread sends length-prefixed frames; the reader counts them. */
  private static double socketThroughput(int messages, int size) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = server.accept();
                    DataInputStream in =
                        new DataInputStream(new BufferedInputStream(s.getInputStream(), 65536))) {
                  byte[] buf = new byte[size];
                  for (int i = 0; i < messages; i++) {
                    in.readFully(buf, 0, in.readInt());
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      byte[] payload = new byte[size];
      long t0 = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          DataOutputStream out =
              new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 65536))) {
        for (int i = 0; i < messages; i++) {
          out.writeInt(size);
          out.write(payload);
        }
        out.flush();
        reader.get(120, TimeUnit.SECONDS);
      }
      return messages / seconds(t0);
    }
  }

  /** Ping-pong of one frame at a time over one socket (TCP_NODELAY), latency in microseconds. */
  private static Histogram socketRoundTrips(int roundTrips, int size) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> echo =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = server.accept()) {
                  s.setTcpNoDelay(true);
                  DataInputStream in = new DataInputStream(s.getInputStream());
                  DataOutputStream out =
                      new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                  byte[] buf = new byte[size];
                  for (int i = 0; i < roundTrips; i++) {
                    int n = in.readInt();
                    in.readFully(buf, 0, n);
                    out.writeInt(n);
                    out.write(buf, 0, n);
                    out.flush();
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      Histogram h = new Histogram(3);
      byte[] payload = new byte[size];
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
        for (int i = 0; i < roundTrips; i++) {
          long t = System.nanoTime();
          out.writeInt(size);
          out.write(payload);
          out.flush();
          in.readFully(payload, 0, in.readInt());
          h.recordValue((System.nanoTime() - t) / 1000);
        }
      }
      echo.get(30, TimeUnit.SECONDS);
      return h;
    }
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        held.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  private TransportBench() {}
}
