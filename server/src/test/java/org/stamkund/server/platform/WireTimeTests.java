package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digit-by-digit reading of the common form agrees with the formatters, or leaves it to them.
 */
class WireTimeTests {

  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UTC",
        "Europe/Stockholm",
        "Asia/Kolkata",
        "America/St_Johns",
        "Europe/Amsterdam",
        "Pacific/Kiritimati"
      })
  void instantsAreWrittenAsTheIsoFormatterWritesThem(String zoneId) {
    ZoneId zone = ZoneId.of(zoneId);
    java.util.Random random = new java.util.Random(zoneId.hashCode());
    java.util.List<Instant> instants =
        new java.util.ArrayList<>(
            java.util.List.of(
                Instant.parse("1800-01-01T00:00:00Z"),
                Instant.parse("1900-06-01T12:00:00.5Z"), // Amsterdam was 00:19:32 ahead of UTC
                Instant.parse("2024-03-31T01:00:00Z"), // Stockholm's clocks go forward
                Instant.parse("2024-10-27T00:59:59.999999999Z"),
                Instant.parse("2300-12-31T23:59:59.000001Z"),
                Instant.parse("0999-12-31T23:00:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z")));
    for (int i = 0; i < 2_000; i++) {
      long seconds = random.nextLong(-5_364_662_400L, 10_413_792_000L);
      int nanos = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
      instants.add(
          Instant.ofEpochSecond(seconds, random.nextBoolean() ? nanos : nanos / 1000 * 1000));
    }
    for (Instant instant : instants) {
      assertThat(WireTime.format(instant, zone))
          .as(instant.toString())
          .isEqualTo(
              instant
                  .atZone(zone)
                  .toOffsetDateTime()
                  .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-05-04T11:20:00Z",
        "2024-05-04T11:20:00.1Z",
        "2024-05-04T11:20:00.123Z",
        "2024-05-04T11:20:00.123456789Z",
        "2024-05-04T11:20:00+02:00",
        "2024-05-04T11:20:00.5-05:30",
        "1800-01-01T00:00:00Z",
        "2024-02-29T23:59:59+14:00",
        "2024-12-31T23:59:59.999-18:00"
      })
  void theCommonFormReadsAsTheFormatterReadsIt(String text) {
    assertThat(WireTime.parseCommonForm(text)).contains(OffsetDateTime.parse(text).toInstant());
    assertThat(WireTime.parse(text, STOCKHOLM)).contains(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-05-04 11:20:00Z",
        "2024-05-04T11:20:00",
        "2024-05-04T11:20Z",
        "2024-05-04T11:20:00.Z",
        "2024-05-04T11:20:00.1234567890Z",
        "2023-02-29T11:20:00Z",
        "2024-13-04T11:20:00Z",
        "2024-05-04T24:00:00Z",
        "2024-05-04T11:20:00+19:00",
        "2024-05-04T11:20:00+0200",
        "2024-05-04t11:20:00z",
        "2024-05-O4T11:20:00Z",
        "+2024-05-04T11:20:00Z"
      })
  void anythingElseIsLeftToTheFormatters(String text) {
    assertThat(WireTime.parseCommonForm(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-05-04 11:20:00.000", "2024-05-04T11:20:00", "2024-05-04"})
  void theOtherFormsStillReadInTheServersZone(String text) {
    assertThat(WireTime.parse(text, STOCKHOLM)).isPresent();
    assertThat(WireTime.parse(text, STOCKHOLM).orElseThrow())
        .isBefore(Instant.parse("2024-05-05T00:00:00Z"))
        .isAfter(Instant.parse("2024-05-03T00:00:00Z"));
  }
}
