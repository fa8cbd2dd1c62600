package org.stamkund.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outbox at one moment.
 *
 * @param depth entries waiting to be delivered
 * @param depthByKind waiting entries per kind
 * @param oldestPending when the oldest waiting entry was buffered, or null when none waits
 * @param oldestAge how long it has waited, or null
 * @param dead entries given up on (refused by the engine or out of attempts), kept for a manual fix
 *     until the retention period ends
 * @param deliveredTotal entries delivered since the outbox file was created
 * @param expiredTotal entries purged unsent because they passed the retention period
 * @param lastSuccess the last delivery, or null
 * @param lastErrorAt the last failed attempt, or null
 * @param lastError what it was (operation and status, never personal data), or null
 */
public record OutboxStatus(
    long depth,
    Map<String, Long> depthByKind,
    @Nullable Instant oldestPending,
    @Nullable Duration oldestAge,
    long dead,
    long deliveredTotal,
    long expiredTotal,
    @Nullable Instant lastSuccess,
    @Nullable Instant lastErrorAt,
    @Nullable String lastError) {

  /** Copies. */
  public OutboxStatus {
    depthByKind = Map.copyOf(depthByKind);
  }
}
