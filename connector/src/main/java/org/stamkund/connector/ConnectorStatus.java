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
    @Nullable Duration replicaAge) {}
