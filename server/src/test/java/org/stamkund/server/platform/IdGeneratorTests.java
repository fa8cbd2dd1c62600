package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class IdGeneratorTests {

  @Test
  void idsAreVersionSevenWithTheirMillisecondFirstAndNeverRepeat() throws Exception {
    Instant at = Instant.parse("2026-11-22T10:00:00.123Z");
    IdGenerator ids = new IdGenerator(Clock.fixed(at, ZoneOffset.UTC));
    Set<UUID> seen = ConcurrentHashMap.newKeySet();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 16; t++) {
        threads.submit(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                seen.add(ids.next());
              }
            });
      }
    }
    assertThat(seen).hasSize(160_000);
    for (UUID id : seen.stream().limit(1000).toList()) {
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
    }
  }

  @Test
  void laterMillisecondsSortAfter() {
    IdGenerator early = new IdGenerator(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));
    IdGenerator late = new IdGenerator(Clock.fixed(Instant.ofEpochMilli(1_001), ZoneOffset.UTC));
    for (int i = 0; i < 100; i++) {
      assertThat(
              Long.compareUnsigned(
                  early.next().getMostSignificantBits(), late.next().getMostSignificantBits()))
          .isNegative();
    }
  }

  @Test
  void theEarliestIdOfAnInstantSortsAfterEveryEarlierIdAndBeforeEveryLaterOne() {
    Instant at = Instant.parse("2026-11-22T10:00:00.123Z");
    UUID earliest = IdGenerator.earliestAt(at);
    IdGenerator before = new IdGenerator(Clock.fixed(at.minusMillis(1), ZoneOffset.UTC));
    IdGenerator same = new IdGenerator(Clock.fixed(at, ZoneOffset.UTC));
    for (int i = 0; i < 1_000; i++) {
      assertThat(byteOrder(before.next(), earliest)).isNegative();
      assertThat(byteOrder(same.next(), earliest)).isPositive();
    }
  }

  @Test
  void anInstantBefore1970HasTheLowestIdAsItsEarliest() {
    UUID earliest = IdGenerator.earliestAt(Instant.parse("1800-01-01T00:00:00Z"));
    assertThat(earliest).isEqualTo(new UUID(0, 0));
    IdGenerator any = new IdGenerator(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    assertThat(byteOrder(any.next(), earliest)).isPositive();
  }

  /** PostgreSQL orders {@code uuid} values byte by byte, unsigned. */
  private static int byteOrder(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
