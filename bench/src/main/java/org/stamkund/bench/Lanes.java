package org.stamkund.bench;

import org.jspecify.annotations.Nullable;

/**
 * The receipt lanes' counters as the server's {@code /actuator/prometheus} shows them: batches
 * applied, the receipts they held, their seconds from first statement to commit, and the batches
 * that failed and were applied receipt by receipt, and the seconds receipts waited for their batch
 * to start. A scenario's figures are the differences over its measured windows.
 */
record Lanes(double batches, double receipts, double seconds, double oneByOne, double waited) {

  static final Lanes NONE = new Lanes(0, 0, 0, 0, 0);

  private static final String SIZE = "stamkund_receipts_batch_size_receipts_";
  private static final String TIME = "stamkund_receipts_batches_seconds_";
  private static final String WAITED = "stamkund_receipts_waited_seconds_total ";

  /** The counters in a Prometheus text exposition; zeros for what it lacks. */
  static Lanes parse(String exposition) {
    double batches = 0;
    double receipts = 0;
    double seconds = 0;
    double oneByOne = 0;
    double waited = 0;
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(SIZE + "count ")) {
        batches = value(line);
      } else if (line.startsWith(SIZE + "sum ")) {
        receipts = value(line);
      } else if (line.startsWith(TIME + "sum{")) {
        seconds += value(line);
      } else if (line.startsWith(TIME + "count{") && line.contains("outcome=\"one-by-one\"")) {
        oneByOne = value(line);
      } else if (line.startsWith(WAITED)) {
        waited = value(line);
      }
    }
    return new Lanes(batches, receipts, seconds, oneByOne, waited);
  }

  /** A sample line's value: what follows its last space. */
  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The server's counters now; null when it cannot say. */
  static @Nullable Lanes read(Http server) {
    try {
      return parse(server.get("/actuator/prometheus", 200));
    } catch (java.io.IOException e) {
      System.err.println("bench: the server's lane counters could not be read: " + e.getMessage());
      return null;
    }
  }

  /**
   * What this window added: {@code after} less {@code before}, added to these; nothing when either
   * could not be read, which would otherwise count every batch since the server started.
   */
  Lanes plus(@Nullable Lanes before, @Nullable Lanes after) {
    if (before == null || after == null) {
      return this;
    }
    return new Lanes(
        batches + after.batches - before.batches,
        receipts + after.receipts - before.receipts,
        seconds + after.seconds - before.seconds,
        oneByOne + after.oneByOne - before.oneByOne,
        waited + after.waited - before.waited);
  }

  double receiptsPerBatch() {
    return batches == 0 ? 0 : receipts / batches;
  }

  /** A receipt's mean wait for its batch to start: the batch in progress, and a core. */
  double msWaitedPerReceipt() {
    return receipts == 0 ? 0 : waited * 1000 / receipts;
  }

  double msPerBatch() {
    return batches == 0 ? 0 : seconds * 1000 / batches;
  }
}
