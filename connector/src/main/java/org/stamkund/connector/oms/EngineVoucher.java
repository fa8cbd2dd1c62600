package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.Json;
import org.stamkund.connector.oms.CartVouchers.Status;
import tools.jackson.databind.JsonNode;

/** A voucher as the engine lists it ({@code GET /contacts/{id}/bonuschecks}). */
record EngineVoucher(
    String id,
    @Nullable String checkNumber,
    @Nullable String name,
    BigDecimal amount,
    String currency,
    @Nullable Instant expiresAt,
    Status status,
    @Nullable Instant redeemedAt) {

  /**
   * Reads one item of the engine's list; Redeemed when the engine says so, else Expired when it
   * says so or its date is not after {@code now}, else Available.
   *
   * @return null when the item has no id
   */
  static @Nullable EngineVoucher from(JsonNode item, Instant now) {
    String id = Json.text(item, "id");
    if (id == null || id.isBlank()) {
      return null;
    }
    JsonNode value = item.path("value");
    Instant expiresAt = instant(Json.text(item, "expiresOn"));
    boolean redeemed = item.path("redeemed").asBoolean(false);
    boolean expired =
        item.path("expired").asBoolean(false) || (expiresAt != null && !expiresAt.isAfter(now));
    return new EngineVoucher(
        id,
        Json.text(item, "checkNumber"),
        Json.text(item, "name"),
        Objects.requireNonNullElse(Json.decimal(value, "amount"), BigDecimal.ZERO),
        Objects.requireNonNullElse(Json.text(value, "currency"), ""),
        expiresAt,
        redeemed ? Status.REDEEMED : expired ? Status.EXPIRED : Status.AVAILABLE,
        instant(Json.text(item, "redeemedOn")));
  }

  /** An engine time: ISO-8601 with an offset, else local (the JVM's zone), else a bare date. */
  static @Nullable Instant instant(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // try the local forms
    }
    try {
      return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException notLocal) {
      // try a bare date
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException unreadable) {
      return null;
    }
  }
}
