package org.stamkund.server.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of webhook delivery.
 *
 * @param enabled whether this node delivers (events are written to the outbox regardless)
 * @param pollInterval how often a node looks for new events and due deliveries
 * @param backoffBase the wait after the first failure; it doubles with each further failure
 * @param backoffCap the longest wait between two attempts
 * @param giveUpAfter how long after it was queued a failing delivery is retried before it is marked
 *     failed
 * @param connectTimeout how long to wait for a subscriber's connection
 * @param requestTimeout how long to wait for a subscriber's answer
 * @param concurrency deliveries in flight at once on one node
 * @param perSubscriptionConcurrency deliveries in flight at once to one subscription on one node,
 *     so a slow subscriber cannot take every slot
 * @param batchSize events fanned out, or deliveries claimed, per round
 * @param retention how long delivered and failed deliveries and their events are kept
 * @param leaseMargin how much longer than the timeouts a node holds a delivery it is sending; after
 *     that another node may send it again
 */
@ConfigurationProperties("stamkund.webhooks")
record WebhooksProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("250ms") Duration pollInterval,
    @DefaultValue("5s") Duration backoffBase,
    @DefaultValue("1h") Duration backoffCap,
    @DefaultValue("25h") Duration giveUpAfter,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("10s") Duration requestTimeout,
    @DefaultValue("64") int concurrency,
    @DefaultValue("4") int perSubscriptionConcurrency,
    @DefaultValue("500") int batchSize,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("30s") Duration leaseMargin) {

  WebhooksProperties {
    for (Duration d :
        new Duration[] {
          pollInterval,
          backoffBase,
          backoffCap,
          giveUpAfter,
          connectTimeout,
          requestTimeout,
          retention,
          leaseMargin
        }) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("stamkund.webhooks durations must be positive");
      }
    }
    if (backoffCap.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException(
          "stamkund.webhooks.backoff-cap must not be shorter than backoff-base");
    }
    if (concurrency < 1 || perSubscriptionConcurrency < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "stamkund.webhooks concurrency, per-subscription-concurrency and batch-size must be 1"
              + " or more");
    }
  }

  /** The lease a node takes on a delivery: long enough to finish the attempt and record it. */
  Duration lease() {
    return connectTimeout.plus(requestTimeout).plus(leaseMargin);
  }
}
