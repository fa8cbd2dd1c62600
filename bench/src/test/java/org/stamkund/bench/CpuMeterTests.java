package org.stamkund.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuMeterTests {

  /** A postmaster's stat line: its name holds spaces and parentheses; fields from its manual. */
  private static final String STAT =
      "4242 (postgres: (x) y) S 1 4242 4242 0 -1 4194560 9000 80000 0 12 "
          + "150 30 700 90 20 0 1 0 5000 300000000 4000";

  @Test
  void aProcessOwnTicksAreItsUserAndSystemTime() {
    assertThat(CpuMeter.ownTicks(CpuMeter.fields(STAT))).isEqualTo(150 + 30);
  }

  @Test
  void itsEndedChildrenTicksAreTheirUserAndSystemTime() {
    assertThat(CpuMeter.endedChildrenTicks(CpuMeter.fields(STAT))).isEqualTo(700 + 90);
  }

  @Test
  void aChildThatEndedIsCountedInItsParentsEndedChildrenTicks() throws Exception {
    Path self = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "stat");
    long before = CpuMeter.endedChildrenTicks(CpuMeter.fields(Files.readString(self)));

    // About half a second of CPU in a child, which this process waits for.
    Process child =
        new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i + 1)); done")
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long after = 0;
    for (int i = 0; i < 100 && after <= before; i++) {
      Thread.sleep(20);
      after = CpuMeter.endedChildrenTicks(CpuMeter.fields(Files.readString(self)));
    }

    assertThat(after - before).isPositive();
  }

  @Test
  void aThreadsWaitForACoreIsTheSecondFieldOfItsSchedstat() {
    assertThat(CpuMeter.waitedNanos("812345678 4500000 9876\n")).isEqualTo(4_500_000);
  }

  @Test
  void aBusyProcessWaitsForACoreWhenItsThreadsOutnumberTheCores() throws Exception {
    long pid = ProcessHandle.current().pid();
    long before = CpuMeter.waitedNanos(pid);
    // More spinning threads than cores; their waits are read while they still run, since a thread
    // that ended takes its counters with it.
    int spinners = Runtime.getRuntime().availableProcessors() * 2 + 1;
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
    Thread[] threads = new Thread[spinners];
    for (int i = 0; i < spinners; i++) {
      threads[i] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < until) {
                      Thread.onSpinWait();
                    }
                  });
    }
    Thread.sleep(400);
    long during = CpuMeter.waitedNanos(pid);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(during - before).isPositive();
  }
}
