package io.caucus.cluster;

import io.caucus.cluster.admin.AdminCommand;
import io.caucus.cluster.admin.AdminResult;
import io.caucus.cluster.admin.ClusterStructure;
import io.caucus.cluster.admin.NodeInfo;
import io.caucus.cluster.transport.NodeAddress;
import io.caucus.consensus.Role;
import io.caucus.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Autocluster: the start-up commands of a clean node. The first node initialises the cluster
 * ({@code init-cluster}, then each context in a replication group of the same name with itself as
 * PRIMARY); any other registers with the first node and joins {@code _admin} and the contexts as
 * PRIMARY. Each command is retried until the {@code _admin} leader answers it; a refusal ends the
 * run and is reported.
 *
 * <p><b>Lifecycle.</b> {@code new} → at most one of {@link #initialise} / {@link #join} → {@link
 * #close} (ends the background thread at its next retry).
 *
 * <p><b>Threads.</b> Each run has one background thread from the given factory; {@link #status} is
 * read from any thread (volatile). Commands go through the given submitter, which must not block.
 *
 * <p><b>Failures.</b> Not answering (no leader yet, the first node unreachable, {@code _admin} not
 * initialised yet) is retried every second, logged every tenth attempt; a refused command stops the
 * run and stays in {@link #status} (the node never becomes ready). An interrupt ends the run.
 */
final class Autocluster {

  /** Submits an admin command to the {@code _admin} leader, asking {@code via} when not known. */
  @FunctionalInterface
  interface AdminSubmitter {
    CompletableFuture<AdminResult> submit(AdminCommand command, String via);
  }

  private static final Logger LOG = Logger.getLogger(Autocluster.class.getName());

  private final NodeInfo me;
  private final ThreadFactory threads;
  private final Function<NodeAddress, Optional<String>> nodeAt;
  private final AdminSubmitter admin;
  private volatile boolean closed;
  private volatile String status;

  /**
   * @param me this node
   * @param threads where the background thread of a run comes from
   * @param nodeAt the name of the node listening at an internal address, once it is in the view
   * @param admin how commands reach the {@code _admin} leader
   */
  Autocluster(
      NodeInfo me,
      ThreadFactory threads,
      Function<NodeAddress, Optional<String>> nodeAt,
      AdminSubmitter admin) {
    this.me = me;
    this.threads = threads;
    this.nodeAt = nodeAt;
    this.admin = admin;
  }

  /**
   * What a run is doing, while its commands are not all applied, or why it failed; {@code null}
   * when there is no run or it has finished.
   */
  String status() {
    return status;
  }

  /** Initialises the cluster on this (clean, first) node, in the background. */
  void initialise(List<String> contexts) {
    // Not ready until the contexts exist: a client told "ready" must find them.
    status = "autocluster is creating _admin and the contexts " + contexts;
    threads
        .newThread(
            () -> {
              List<AdminCommand> commands = new ArrayList<>();
              commands.add(new AdminCommand.InitCluster(me));
              for (String context : contexts) {
                commands.add(
                    new AdminCommand.CreateReplicationGroup(
                        context, Map.of(me.name(), Role.PRIMARY)));
                commands.add(new AdminCommand.CreateContext(context, context, Map.of()));
              }
              if (runAdminCommands(commands, "autocluster (first node)", null)) {
                status = null;
              }
            })
        .start();
  }

  /** Registers this clean node with the node at {@code first} and joins, in the background. */
  void join(NodeAddress first, List<String> contexts) {
    status = "registering with the first node " + first;
    threads
        .newThread(
            () -> {
              String firstName = findNode(first);
              if (firstName == null) {
                return;
              }
              List<AdminCommand> commands = new ArrayList<>();
              commands.add(new AdminCommand.RegisterNode(me));
              commands.add(
                  new AdminCommand.AddNodeToGroup(ClusterStructure.ADMIN, me.name(), Role.PRIMARY));
              for (String context : contexts) {
                commands.add(new AdminCommand.AddNodeToGroup(context, me.name(), Role.PRIMARY));
              }
              if (runAdminCommands(
                  commands, "autocluster (joining " + firstName + ")", firstName)) {
                status = null;
              }
            })
        .start();
  }

  /** Ends a run at its next retry. */
  void close() {
    closed = true;
  }

  /** The name of the node at {@code address}, polling until it has joined this node's view. */
  private String findNode(NodeAddress address) {
    long attempt = 0;
    while (!closed) {
      Optional<String> found = nodeAt.apply(address).filter(n -> !n.equals(me.name()));
      if (found.isPresent()) {
        return found.get();
      }
      if (attempt++ % 10 == 0) {
        String msg =
            "Autocluster: the first node "
                + address
                + " is not reachable yet; retrying until it answers";
        status = msg;
        LOG.info(msg);
      }
      sleep(1000);
    }
    return null;
  }

  /** Runs admin commands in order, each retried until the admin leader answers it. */
  private boolean runAdminCommands(List<AdminCommand> commands, String what, String via) {
    for (AdminCommand command : commands) {
      long attempt = 0;
      while (true) {
        if (closed) {
          return false;
        }
        try {
          AdminResult r = admin.submit(command, via).get(20, TimeUnit.SECONDS);
          if (r.error() == ErrorCode.CLUSTER_NOT_INITIALIZED) {
            // The first node has not applied init-cluster yet: the same as not answering.
            throw new IllegalStateException(r.message());
          }
          if (!r.isOk()) {
            LOG.severe(what + ": " + command + " was refused: " + r);
            status = what + " failed: " + r;
            return false;
          }
          LOG.info(what + ": " + r.message());
          break;
        } catch (Exception e) {
          if (attempt++ % 10 == 0) {
            LOG.info(
                what
                    + ": "
                    + command.getClass().getSimpleName()
                    + " not done yet ("
                    + cause(e)
                    + "); retrying");
          }
          sleep(1000);
        }
      }
    }
    return true;
  }

  private static String cause(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
