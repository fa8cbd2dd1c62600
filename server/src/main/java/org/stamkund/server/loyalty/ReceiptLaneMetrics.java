package org.stamkund.server.loyalty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.stamkund.server.platform.GroupCommit;

/**
 * The receipt lanes as {@code /actuator/prometheus} shows them: how many receipts a batch held, how
 * long a batch took to its commit (by whether it committed whole or failed and was applied receipt
 * by receipt), and how many receipts wait for a lane. A receipt's latency is about the batch in
 * progress when it came plus its own: these tell which of them grew, and how long receipts waited
 * for their batch to start.
 */
final class ReceiptLaneMetrics implements GroupCommit.BatchObserver {

  private final DistributionSummary sizes;
  private final Timer committed;
  private final Timer oneByOne;
  private final Counter waited;

  ReceiptLaneMetrics(MeterRegistry registry, IntSupplier waiting) {
    this.sizes =
        DistributionSummary.builder("stamkund.receipts.batch.size")
            .description("Receipts a lane applied in one transaction")
            .baseUnit("receipts")
            .register(registry);
    this.committed = batches(registry, "committed");
    this.oneByOne = batches(registry, "one-by-one");
    this.waited =
        Counter.builder("stamkund.receipts.waited")
            .description(
                "Seconds receipts waited for their lane's batch to start, all of them together:"
                    + " its rate over the batch size sum's is a receipt's mean wait")
            .baseUnit("seconds")
            .register(registry);
    Gauge.builder("stamkund.receipts.waiting", waiting::getAsInt)
        .description("Receipts waiting for a lane, not counting the batches being applied")
        .baseUnit("receipts")
        .register(registry);
  }

  private static Timer batches(MeterRegistry registry, String outcome) {
    return Timer.builder("stamkund.receipts.batches")
        .description(
            "Receipt batches from their first statement to their commit; one-by-one when the"
                + " batch failed and each receipt was applied alone")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public void applied(int size, long waitedNanos, long nanos, boolean alone) {
    sizes.record(size);
    waited.increment(waitedNanos / 1e9);
    (alone ? oneByOne : committed).record(nanos, TimeUnit.NANOSECONDS);
  }
}
