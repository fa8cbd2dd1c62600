package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;

/**
 * Contact changes: Engage's window query (a bare array of ids) and Stamkund's cursor feed, which
 * returns every committed change exactly once in a stable order even while writers run.
 */
@RestController
@Tag(name = "Contact changes")
class ContactChangesController {

  static final int ENGAGE_MAX_IDS = 250_000;
  static final int FEED_MAX_COUNT = 10_000;
  private static final Pattern CURSOR = Pattern.compile("^(\\d{1,20})\\.(\\d{1,19})$");
  private static final List<String> TYPES = List.of("Created", "Updated", "Deleted");

  private final JdbcClient jdbc;
  private final StamkundProperties properties;
  private final Clock clock;

  ContactChangesController(JdbcClient jdbc, StamkundProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/api/v2/contacts/changes")
  @Operation(
      summary = "Ids of contacts created, updated or deleted in a time window",
      description =
          "A bare JSON array of ids, each once. 400 when more than 250,000 ids match; narrow the"
              + " window. Dates: ISO-8601, or '2023-05-04 11:20:00.000' in the server's zone.")
  List<UUID> changes(
      @RequestParam(required = false) @Nullable String changeType,
      @RequestParam(required = false) @Nullable String fromDate,
      @RequestParam(required = false) @Nullable String toDate) {
    String type =
        TYPES.stream()
            .filter(t -> t.equalsIgnoreCase(changeType == null ? "" : changeType.strip()))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.badField(
                        "InvalidChangeType", "changeType", "use Created, Updated or Deleted"));
    Instant from = instant(fromDate, "fromDate");
    Instant to = toDate == null || toDate.isBlank() ? clock.instant() : instant(toDate, "toDate");
    if (to.isBefore(from)) {
      throw ApiException.badField("InvalidDateRange", "toDate", "is before fromDate");
    }
    List<UUID> ids =
        jdbc.sql(
                """
                select contact_id from contact_changes
                where change_type = ? and changed_at >= ? and changed_at <= ?
                group by contact_id order by min(changed_at), contact_id limit ?
                """)
            .params(type, Timestamp.from(from), Timestamp.from(to), ENGAGE_MAX_IDS + 1)
            .query((rs, n) -> rs.getObject(1, UUID.class))
            .list();
    if (ids.size() > ENGAGE_MAX_IDS) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "TooManyChanges",
          "more than " + ENGAGE_MAX_IDS + " contacts changed in the window; narrow it",
          Map.of("field", "fromDate", "maxIds", ENGAGE_MAX_IDS));
    }
    return ids;
  }

  /** One change in the cursor feed. */
  record Change(String cursor, UUID contactId, String changeType, String changedAt) {}

  /** A page of the cursor feed; pass {@code next} as {@code after} to continue. */
  record FeedPage(List<Change> changes, String next, boolean hasMore) {}

  @GetMapping("/api/v2/contacts/changes/feed")
  @Operation(
      summary = "Cursor feed of contact changes",
      description =
          "Every committed change once, in commit-safe order: a change becomes visible only when"
              + " every transaction that started before it has finished, so a reader never skips a"
              + " change that commits late. Start without `after`; continue with `next`.")
  FeedPage feed(
      @Parameter(description = "the `next` of the previous page; absent to start at the beginning")
          @RequestParam(required = false)
          @Nullable String after,
      @RequestParam(required = false, defaultValue = "1000") int count) {
    if (count < 1 || count > FEED_MAX_COUNT) {
      throw ApiException.badField("InvalidCount", "count", "between 1 and " + FEED_MAX_COUNT);
    }
    String tx = "0";
    long seq = 0;
    if (after != null && !after.isBlank()) {
      Matcher m = CURSOR.matcher(after.strip());
      if (!m.matches()) {
        throw ApiException.badField("InvalidCursor", "after", "not a cursor from this feed");
      }
      tx = m.group(1);
      try {
        seq = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw ApiException.badField("InvalidCursor", "after", "not a cursor from this feed");
      }
      if (new java.math.BigInteger(tx).bitLength() > 64) {
        throw ApiException.badField("InvalidCursor", "after", "not a cursor from this feed");
      }
    }
    List<Change> rows =
        jdbc.sql(
                """
                select c.tx::text as tx_text, c.seq, c.contact_id, c.change_type, c.changed_at
                from contact_changes c
                where (c.tx, c.seq) > (?::xid8, ?)
                  and c.tx < pg_snapshot_xmin(pg_current_snapshot())
                order by c.tx, c.seq
                limit ?
                """)
            .params(tx, seq, count + 1)
            .query(
                (rs, n) ->
                    new Change(
                        rs.getString(1) + "." + rs.getLong(2),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        WireTime.format(rs.getTimestamp(5).toInstant(), properties.timeZone())))
            .list();
    boolean hasMore = rows.size() > count;
    List<Change> page = hasMore ? rows.subList(0, count) : rows;
    String next =
        page.isEmpty()
            ? (after == null || after.isBlank() ? "0.0" : after.strip())
            : page.getLast().cursor();
    return new FeedPage(page, next, hasMore);
  }

  private Instant instant(@Nullable String raw, String field) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badField("MissingParameter", field, "is required");
    }
    return WireTime.parse(raw, properties.timeZone())
        .orElseThrow(
            () ->
                ApiException.badField(
                    "InvalidDate", field, "use ISO-8601 or 'yyyy-MM-dd HH:mm:ss.SSS'"));
  }
}
