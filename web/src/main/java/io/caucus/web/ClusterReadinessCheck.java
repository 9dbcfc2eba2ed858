package io.caucus.web;

import io.caucus.api.ClusterInfoFacade;
import io.caucus.api.Readiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code /health/ready}: UP only when the node knows the cluster structure and every group it
 * serves has a leader; otherwise DOWN with the state and a sentence saying what it waits for.
 */
@org.eclipse.microprofile.health.Readiness
@ApplicationScoped
public class ClusterReadinessCheck implements HealthCheck {

  @Inject ClusterInfoFacade cluster;

  @Override
  public HealthCheckResponse call() {
    Readiness readiness = cluster.readiness();
    return HealthCheckResponse.named("caucus")
        .status(readiness.ready())
        .withData("state", readiness.state())
        .withData("detail", readiness.detail())
        .build();
  }
}
