package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanesTests {

  private static String exposition(
      double batches, double receipts, double committedSeconds, double oneByOne) {
    return exposition(batches, receipts, committedSeconds, oneByOne, 0);
  }

  private static String exposition(
      double batches, double receipts, double committedSeconds, double oneByOne, double waited) {
    return String.join(
        "\n",
        "# HELP stamkund_receipts_batch_size_receipts Receipts a lane applied in one transaction",
        "# TYPE stamkund_receipts_batch_size_receipts summary",
        "stamkund_receipts_batch_size_receipts_count " + batches,
        "stamkund_receipts_batch_size_receipts_sum " + receipts,
        "stamkund_receipts_batch_size_receipts_max 40.0",
        "stamkund_receipts_batches_seconds_count{outcome=\"committed\"} " + (batches - oneByOne),
        "stamkund_receipts_batches_seconds_sum{outcome=\"committed\"} " + committedSeconds,
        "stamkund_receipts_batches_seconds_count{outcome=\"one-by-one\"} " + oneByOne,
        "stamkund_receipts_batches_seconds_sum{outcome=\"one-by-one\"} 0.5",
        "stamkund_receipts_waiting_receipts 3.0",
        "stamkund_receipts_waited_seconds_total " + waited,
        "http_server_requests_seconds_count{uri=\"/api/v2/receipts\"} 999.0");
  }

  @Test
  void theCountersAreReadFromTheExposition() {
    Lanes lanes = Lanes.parse(exposition(100, 1600, 1.5, 2, 16));

    assertThat(lanes.batches()).isEqualTo(100);
    assertThat(lanes.receipts()).isEqualTo(1600);
    assertThat(lanes.seconds()).as("both outcomes' time").isEqualTo(2.0);
    assertThat(lanes.oneByOne()).isEqualTo(2);
    assertThat(lanes.receiptsPerBatch()).isEqualTo(16);
    assertThat(lanes.msPerBatch()).isEqualTo(20);
    assertThat(lanes.waited()).isEqualTo(16);
    assertThat(lanes.msWaitedPerReceipt()).isEqualTo(10);
  }

  @Test
  void windowsAddTheirDifferencesOnly() {
    Lanes measured =
        Lanes.NONE
            .plus(
                Lanes.parse(exposition(100, 1600, 1.5, 2, 20)),
                Lanes.parse(exposition(150, 2400, 2.5, 2, 30)))
            .plus(
                Lanes.parse(exposition(400, 9000, 9.5, 3)),
                Lanes.parse(exposition(410, 9100, 9.7, 3)));

    assertThat(measured.batches()).isEqualTo(60);
    assertThat(measured.receipts()).isEqualTo(900);
    assertThat(measured.seconds()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(measured.oneByOne()).isZero();
    assertThat(measured.waited()).isEqualTo(10);
  }

  @Test
  void aWindowWhoseCountersCouldNotBeReadAddsNothing() {
    Lanes first =
        Lanes.NONE.plus(
            Lanes.parse(exposition(100, 1600, 1.5, 2, 20)),
            Lanes.parse(exposition(150, 2400, 2.5, 2, 30)));

    // Without its first reading, the window would count every batch since the server started.
    assertThat(first.plus(null, Lanes.parse(exposition(400, 9000, 9.5, 3)))).isEqualTo(first);
    assertThat(first.plus(Lanes.parse(exposition(400, 9000, 9.5, 3)), null)).isEqualTo(first);
  }

  @Test
  void aServerWithoutLanesReadsAsNone() {
    assertThat(Lanes.parse("http_server_requests_seconds_count{uri=\"/\"} 5.0\n"))
        .isEqualTo(Lanes.NONE);
    assertThat(Lanes.NONE.receiptsPerBatch()).isZero();
    assertThat(Lanes.NONE.msPerBatch()).isZero();
    assertThat(Lanes.NONE.msWaitedPerReceipt()).isZero();
  }
}
