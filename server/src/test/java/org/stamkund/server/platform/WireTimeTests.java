package org.stamkund.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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
