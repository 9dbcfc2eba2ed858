package io.caucus.cluster;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.Optional;

/**
 * Hosts this node's {@link ClusterRuntime} in the container: the runtime's runner threads come from
 * the container's {@link ManagedThreadFactory} and its ticks from the container's {@link
 * ManagedScheduledExecutorService} (never from JGroups threads).
 *
 * <p><b>Lifecycle.</b> Created at deployment; the runtime starts when the startup bean calls {@link
 * #start} (after the configuration is known) and is closed at undeployment.
 *
 * <p><b>Thread safety.</b> Bean-managed concurrency: {@link #start} is synchronized; {@link
 * #runtime()} reads a volatile field from any thread.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ClusterHost {

  @Resource ManagedThreadFactory threads;
  @Resource ManagedScheduledExecutorService scheduler;

  private volatile ClusterRuntime runtime;

  /**
   * Starts the runtime (once).
   *
   * @param bootstrapAdmin whether this clean node creates {@code _admin} as its only PRIMARY
   * @throws IllegalStateException if already started
   * @throws io.caucus.cluster.transport.TransportException if the internal port cannot be bound
   */
  public synchronized ClusterRuntime start(ClusterSettings settings, boolean bootstrapAdmin) {
    if (runtime != null) {
      throw new IllegalStateException("the cluster runtime is already running");
    }
    ClusterRuntime r = new ClusterRuntime(settings, threads, scheduler);
    try {
      r.start(bootstrapAdmin);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    runtime = r;
    return r;
  }

  /** The runtime, once started. */
  public Optional<ClusterRuntime> runtime() {
    return Optional.ofNullable(runtime);
  }

  @PreDestroy
  synchronized void stop() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }
}
