package org.stamkund.connector;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The connector at one moment, for a health page or metrics.
 *
 * @param outbox queue depth, oldest entry, last success and last error
 * @param circuit the circuit breaker's state
 * @param circuitOpenings how often the breaker has opened
 * @param replicaContacts contacts in the local replica (0 when it is off)
 * @param replicaAge time since the replica's last complete sync, or null
 */
public record ConnectorStatus(
    OutboxStatus outbox,
    CircuitBreaker.State circuit,
    long circuitOpenings,
    long replicaContacts,
    @Nullable Duration replicaAge) {

  /**
   * The status as gauges and counters for a metrics exporter, named in Prometheus style; ages in
   * seconds, absent when there is nothing to age (no waiting entry, no complete replica sync). The
   * circuit is 0 closed, 1 half-open, 2 open.
   */
  public java.util.Map<String, Double> metrics() {
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("stamkund_connector_outbox_depth", (double) outbox.depth());
    outbox
        .depthByKind()
        .forEach((kind, depth) -> m.put("stamkund_connector_outbox_depth_" + kind, (double) depth));
    Duration oldest = outbox.oldestAge();
    if (oldest != null) {
      m.put("stamkund_connector_outbox_oldest_age_seconds", oldest.toMillis() / 1000.0);
    }
    m.put("stamkund_connector_outbox_dead", (double) outbox.dead());
    m.put("stamkund_connector_outbox_delivered_total", (double) outbox.deliveredTotal());
    m.put("stamkund_connector_outbox_expired_total", (double) outbox.expiredTotal());
    if (outbox.lastSuccess() != null) {
      m.put(
          "stamkund_connector_outbox_last_success_epoch_seconds",
          java.util.Objects.requireNonNull(outbox.lastSuccess()).toEpochMilli() / 1000.0);
    }
    m.put(
        "stamkund_connector_circuit_state",
        switch (circuit) {
          case CLOSED -> 0.0;
          case HALF_OPEN -> 1.0;
          case OPEN -> 2.0;
        });
    m.put("stamkund_connector_circuit_openings_total", (double) circuitOpenings);
    m.put("stamkund_connector_replica_contacts", (double) replicaContacts);
    if (replicaAge != null) {
      m.put(
          "stamkund_connector_replica_age_seconds",
          java.util.Objects.requireNonNull(replicaAge).toMillis() / 1000.0);
    }
    return m;
  }
}
