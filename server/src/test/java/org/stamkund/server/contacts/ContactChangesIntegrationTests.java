package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The changes surfaces: Engage's window query (a bare array of ids) and the cursor feed, including
 * the feed's promise to return every committed change exactly once while writers run.
 */
class ContactChangesIntegrationTests extends IntegrationTest {

  private static final ZoneId SERVER_ZONE = ZoneId.of("Europe/Stockholm");
  private static final DateTimeFormatter ENGAGE_FORM =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(SERVER_ZONE);

  @Autowired JdbcClient jdbc;

  @Autowired TransactionTemplate transactions;

  // ---------------------------------------------------------------- Engage window query

  @Test
  void changesAreABareArrayOfIdsUnderTheirTypeWithinTheWindow() {
    Instant t0 = Instant.now().minusMillis(1);
    String kept = create();
    String gone = create();
    update(kept, "Anna");
    delete(gone);
    Instant t1 = Instant.now().plusMillis(1);

    Api.Response created = changes("Created", iso(t0), iso(t1));
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().isArray()).isTrue();
    created.json().forEach(id -> assertThat(id.isString()).as(id.toString()).isTrue());
    assertThat(ids(created)).contains(kept, gone);
    assertThat(ids(changes("Updated", iso(t0), iso(t1)))).contains(kept).doesNotContain(gone);
    assertThat(ids(changes("Deleted", iso(t0), iso(t1)))).contains(gone).doesNotContain(kept);
  }

  @Test
  void changesOutsideTheWindowAreLeftOut() throws InterruptedException {
    Instant t0 = Instant.now().minusMillis(1);
    String early = create();
    Thread.sleep(30);
    Instant middle = Instant.now();
    Thread.sleep(30);
    String late = create();
    Instant t1 = Instant.now().plusMillis(1);

    assertThat(ids(changes("Created", iso(t0), iso(middle)))).contains(early).doesNotContain(late);
    assertThat(ids(changes("Created", iso(middle), iso(t1)))).contains(late).doesNotContain(early);
    assertThat(ids(changes("Created", iso(t0.minusSeconds(3600)), iso(t0.minusMillis(1)))))
        .doesNotContain(early, late);
    assertThat(ids(changes("Updated", iso(t0), iso(t1)))).doesNotContain(early, late);
  }

  @Test
  void toDateDefaultsToNow() {
    Instant t0 = Instant.now().minusMillis(1);
    String id = create();
    assertThat(ids(changes("Created", iso(t0), null))).contains(id);
  }

  @Test
  void changeTypeIsCaseInsensitive() {
    Instant t0 = Instant.now().minusMillis(1);
    String id = create();
    update(id, "Bo");
    Instant t1 = Instant.now().plusMillis(1);
    assertThat(ids(changes("created", iso(t0), iso(t1)))).contains(id);
    assertThat(ids(changes("CREATED", iso(t0), iso(t1)))).contains(id);
    assertThat(ids(changes("uPdAtEd", iso(t0), iso(t1)))).contains(id);
  }

  @Test
  void missingOrUnknownChangeTypeIsInvalidChangeType() {
    String from = iso(Instant.now().minusSeconds(60));
    for (String query :
        List.of(
            "fromDate=" + enc(from),
            "changeType=&fromDate=" + enc(from),
            "changeType=Moved&fromDate=" + enc(from),
            "changeType=Create&fromDate=" + enc(from))) {
      Api.Response r = api.get("/api/v2/contacts/changes?" + query);
      assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
      assertThat(r.errorCode()).as(query).isEqualTo("InvalidChangeType");
      assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("changeType");
    }
  }

  @Test
  void missingFromDateIsABadRequest() {
    for (String query : List.of("changeType=Created", "changeType=Created&fromDate=")) {
      Api.Response r = api.get("/api/v2/contacts/changes?" + query);
      assertThat(r.status()).as(query + " -> " + r).isEqualTo(400);
      assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("fromDate");
    }
  }

  @Test
  void fromDateIsAcceptedInEngageFormAndAsIsoWithOffset() {
    Instant t0 = Instant.now().minusSeconds(1);
    String id = create();
    Instant t1 = Instant.now().plusSeconds(1);

    // "2023-05-04 11:20:00.000": the server's zone, a space instead of T
    String engageFrom = ENGAGE_FORM.format(t0);
    String engageTo = ENGAGE_FORM.format(t1);
    assertThat(engageFrom).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    assertThat(ids(changes("Created", engageFrom, engageTo))).contains(id);

    // ISO-8601 with an offset, in another zone than the server's
    String isoFrom =
        OffsetDateTime.ofInstant(t0, ZoneOffset.ofHours(5))
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    assertThat(isoFrom).endsWith("+05:00");
    assertThat(ids(changes("Created", isoFrom, null))).contains(id);
    assertThat(ids(changes("Created", t0.toString(), t1.toString()))).contains(id);

    // an unencoded '+' of the offset arrives as a space
    Api.Response raw =
        api.get(
            "/api/v2/contacts/changes?changeType=Created&fromDate=" + isoFrom.replace("+", "%20"));
    assertThat(raw.status()).as(raw.toString()).isEqualTo(200);
    assertThat(ids(raw)).contains(id);

    // a window entirely after the change, in the Engage form, leaves it out
    assertThat(
            ids(changes("Created", ENGAGE_FORM.format(t1), ENGAGE_FORM.format(t1.plusSeconds(60)))))
        .doesNotContain(id);
  }

  @Test
  void invalidDateIsInvalidDate() {
    String now = iso(Instant.now());
    for (String bad : List.of("yesterday", "2023-13-45", "2023-05-04 25:00:00.000", "12/05/2023")) {
      Api.Response from = changes("Created", bad, null);
      assertThat(from.status()).as(bad + " -> " + from).isEqualTo(400);
      assertThat(from.errorCode()).isEqualTo("InvalidDate");
      assertThat(from.json().path("messageDetails").path("field").asString()).isEqualTo("fromDate");

      Api.Response to = changes("Created", now, bad);
      assertThat(to.status()).as(bad + " -> " + to).isEqualTo(400);
      assertThat(to.errorCode()).isEqualTo("InvalidDate");
      assertThat(to.json().path("messageDetails").path("field").asString()).isEqualTo("toDate");
    }
  }

  @Test
  void toDateBeforeFromDateIsABadRequest() {
    Instant now = Instant.now();
    Api.Response r = changes("Created", iso(now), iso(now.minusSeconds(1)));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("InvalidDateRange");
    assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("toDate");
  }

  @Test
  void anIdAppearsOnceHoweverOftenItChanged() {
    Instant t0 = Instant.now().minusMillis(1);
    String id = create();
    for (int i = 0; i < 6; i++) {
      update(id, "Name" + i);
    }
    Instant t1 = Instant.now().plusMillis(1);
    assertThat(Collections.frequency(ids(changes("Updated", iso(t0), iso(t1))), id)).isEqualTo(1);
    assertThat(Collections.frequency(ids(changes("Created", iso(t0), iso(t1))), id)).isEqualTo(1);
  }

  @Test
  void aWindowWithMoreThan250000IdsIsTooManyChanges() {
    // A narrow window of its own, far in the past, filled straight in the outbox.
    Instant at =
        Instant.parse("1975-01-01T00:00:00Z")
            .plusSeconds(ThreadLocalRandom.current().nextLong(360 * 86_400L))
            .plus(ThreadLocalRandom.current().nextLong(1_000_000), ChronoUnit.MICROS);
    try {
      insertOutboxRows(at, 250_000);
      Api.Response atTheCap = changes("Updated", iso(at), iso(at));
      assertThat(atTheCap.status()).isEqualTo(200);
      assertThat(atTheCap.json().size()).isEqualTo(250_000);

      insertOutboxRows(at, 1);
      Api.Response overTheCap = changes("Updated", iso(at), iso(at));
      assertThat(overTheCap.status()).as(overTheCap.toString()).isEqualTo(400);
      assertThat(overTheCap.errorCode()).isEqualTo("TooManyChanges");
      assertThat(overTheCap.json().path("messageDetails").path("maxIds").asInt())
          .isEqualTo(250_000);

      // the window around it, without the crowded instant, is fine
      assertThat(changes("Updated", iso(at.minusSeconds(1)), iso(at.minusMillis(1))).status())
          .isEqualTo(200);
    } finally {
      jdbc.sql("delete from contact_changes where changed_at = ?")
          .param(Timestamp.from(at))
          .update();
    }
  }

  private void insertOutboxRows(Instant at, int n) {
    jdbc.sql(
            """
            insert into contact_changes (contact_id, change_type, changed_at)
            select gen_random_uuid(), 'Updated', ? from generate_series(1, ?)
            """)
        .params(Timestamp.from(at), n)
        .update();
  }

  // ---------------------------------------------------------------- cursor feed

  @Test
  void pagingWithNextReturnsEachChangeOnceInOrder() {
    String start = latestCursor();
    List<String> expected = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = create();
      ids.add(id);
      expected.add(id + " Created");
    }
    update(ids.get(0), "Ada");
    expected.add(ids.get(0) + " Updated");
    update(ids.get(2), "Ada");
    expected.add(ids.get(2) + " Updated");
    update(ids.get(0), "Bea");
    expected.add(ids.get(0) + " Updated");
    delete(ids.get(3));
    expected.add(ids.get(3) + " Deleted");
    awaitFeedCovers(start, Set.copyOf(ids), expected.size());

    List<Change> seen = new ArrayList<>();
    String cursor = start;
    List<Integer> sizes = new ArrayList<>();
    for (int guard = 0; guard < 100; guard++) {
      Page page = feed(cursor, 3);
      sizes.add(page.changes().size());
      seen.addAll(page.changes());
      assertThat(page.changes()).hasSizeLessThanOrEqualTo(3);
      if (!page.changes().isEmpty()) {
        assertThat(page.next()).isEqualTo(page.changes().getLast().cursor());
      }
      cursor = page.next();
      if (!page.hasMore()) {
        break;
      }
      assertThat(page.changes()).hasSize(3);
    }
    assertThat(sizes).containsExactly(3, 3, 2);
    assertCursorsStrictlyIncrease(start, seen);
    assertThat(seen.stream().map(c -> c.contactId() + " " + c.changeType()).toList())
        .containsExactlyElementsOf(expected);
    for (Change c : seen) {
      assertThat(c.cursor()).matches("\\d+\\.\\d+");
      assertThat(OffsetDateTime.parse(c.changedAt()).toInstant())
          .isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(1));
    }

    Page after = feed(cursor, 3);
    assertThat(after.changes()).isEmpty();
    assertThat(after.hasMore()).isFalse();
    assertThat(after.next()).isEqualTo(cursor);
  }

  @Test
  void feedAnswersChangesNextAndHasMore() {
    String start = latestCursor();
    String id = create();
    awaitFeedCovers(start, Set.of(id), 1);
    Api.Response r = api.get("/api/v2/contacts/changes/feed?count=10&after=" + enc(start));
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("changes").isArray()).isTrue();
    assertThat(body.path("next").isString()).isTrue();
    assertThat(body.path("hasMore").isBoolean()).isTrue();
    List<JsonNode> ours = new ArrayList<>();
    body.path("changes")
        .forEach(
            c -> {
              if (c.path("contactId").asString().equals(id)) {
                ours.add(c);
              }
            });
    assertThat(ours).hasSize(1);
    JsonNode change = ours.getFirst();
    assertThat(change.path("cursor").asString()).matches("\\d+\\.\\d+");
    assertThat(change.path("changeType").asString()).isEqualTo("Created");
    assertThat(change.path("changedAt").asString()).matches(".*T.*[+-]\\d\\d:\\d\\d");
  }

  /**
   * Transaction ids gain a digit now and then (999 to 1000, 9999 to 10000, …). Two changes on
   * either side of such a boundary must still come out in transaction order, one page at a time.
   */
  @Test
  void feedKeepsTransactionOrderWhereTransactionIdsGainADigit() {
    String start = latestCursor();
    long boundary = 10;
    while (boundary <= currentXid() + 30) {
      boundary *= 10;
    }
    burnTransactionIdsUntil(boundary - 10);
    String below = create();
    burnTransactionIdsUntil(boundary + 1);
    String above = create();
    assertThat(txOf(below)).as("precondition").isLessThan(boundary);
    assertThat(txOf(above)).as("precondition").isGreaterThanOrEqualTo(boundary);
    awaitFeedCovers(start, Set.of(below, above), 2);

    List<String> onePerPage = new ArrayList<>();
    String cursor = start;
    for (int guard = 0; guard < 100; guard++) {
      Page page = feed(cursor, 1);
      page.changes().forEach(c -> onePerPage.add(c.contactId()));
      cursor = page.next();
      if (!page.hasMore()) {
        break;
      }
    }
    assertThat(onePerPage).containsSubsequence(below, above);
    assertThat(onePerPage).containsOnlyOnce(below, above);

    List<String> onePage = feed(start, 100).changes().stream().map(Change::contactId).toList();
    assertThat(onePage).containsSubsequence(below, above);
  }

  private long currentXid() {
    return Long.parseLong(
        Objects.requireNonNull(
            jdbc.sql("select pg_current_xact_id()::text").query(String.class).single()));
  }

  /**
   * Uses up transaction ids (as subtransactions of one call) until the next one is {@code next}.
   */
  private void burnTransactionIdsUntil(long next) {
    for (long x = currentXid(); x < next - 1; x = currentXid()) {
      long n = next - x - 3;
      if (n > 0) {
        jdbc.sql(
                "DO $$ BEGIN CREATE TEMP TABLE IF NOT EXISTS xid_burn (i int); FOR i IN 1.."
                    + n
                    + " LOOP BEGIN INSERT INTO xid_burn VALUES (i);"
                    + " EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END $$")
            .update();
      }
    }
  }

  private long txOf(String contactId) {
    return Long.parseLong(
        Objects.requireNonNull(
            jdbc.sql(
                    "select min(tx::text::numeric)::text from contact_changes where contact_id = ?")
                .param(UUID.fromString(contactId))
                .query(String.class)
                .single()));
  }

  @Test
  void countOutsideOneToTenThousandIsInvalidCount() {
    for (String count : List.of("0", "-1", "10001", "2147483647")) {
      Api.Response r = api.get("/api/v2/contacts/changes/feed?count=" + count);
      assertThat(r.status()).as(count + " -> " + r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("InvalidCount");
      assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("count");
    }
    String end = latestCursor();
    assertThat(api.get("/api/v2/contacts/changes/feed?count=1&after=" + enc(end)).status())
        .isEqualTo(200);
    assertThat(api.get("/api/v2/contacts/changes/feed?count=10000&after=" + enc(end)).status())
        .isEqualTo(200);
  }

  @Test
  void garbageCursorIsInvalidCursor() {
    for (String cursor : List.of("garbage", "12", "1.2.3", "-1.2", "1.-2", "a.b", "1,2", "1. 2")) {
      Api.Response r = api.get("/api/v2/contacts/changes/feed?after=" + enc(cursor));
      assertThat(r.status()).as(cursor + " -> " + r).isEqualTo(400);
      assertThat(r.errorCode()).as(cursor).isEqualTo("InvalidCursor");
      assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("after");
    }
  }

  @Test
  void cursorWithATransactionIdBeyondXid8IsInvalidCursor() {
    // matches the cursor's shape, but 99999999999999999999 exceeds the 64-bit xid8
    Api.Response r = api.get("/api/v2/contacts/changes/feed?after=99999999999999999999.1");
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("InvalidCursor");
  }

  @Test
  void cursorWithASequenceBeyondALongIsInvalidCursor() {
    // matches the cursor's shape, but 9999999999999999999 exceeds Long.MAX_VALUE
    Api.Response r = api.get("/api/v2/contacts/changes/feed?after=1.9999999999999999999");
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("InvalidCursor");
  }

  /**
   * The feed's central promise, tested with a real race: HTTP writers on many threads, plus
   * transactions that take their transaction id early and commit a second later (so later ids
   * commit first), some of which roll back. A reader polls the feed throughout. Every committed
   * change must reach it exactly once, in commit-safe order; no rolled-back change may.
   */
  @Test
  void feedNeverMissesOrRepeatsAChangeWhileWritersRun() throws Exception {
    String start = endOfFeed();
    Map<String, List<String>> committed = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger slowCommits = new AtomicInteger();
    AtomicInteger slowRollbacks = new AtomicInteger();
    List<Change> seen = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(4);
    List<String> readerLog = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> slowXids = new ConcurrentHashMap<>();

    ExecutorService pool = Executors.newFixedThreadPool(11);
    try {
      Future<String> reader =
          pool.submit(
              () -> {
                String cursor = start;
                while (writing.get()) {
                  Page page = feed(cursor, 50);
                  if (!page.changes().isEmpty()) {
                    readerLog.add(
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                            + "ms after="
                            + cursor
                            + " n="
                            + page.changes().size()
                            + " first="
                            + page.changes().getFirst().cursor()
                            + " last="
                            + page.changes().getLast().cursor());
                  }
                  seen.addAll(page.changes());
                  cursor = page.next();
                  if (!page.hasMore()) {
                    Thread.sleep(3);
                  }
                }
                return cursor;
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        writers.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (System.nanoTime() < deadline) {
                    String id = create();
                    List<String> history = new ArrayList<>(List.of("Created"));
                    committed.put(id, history);
                    int updates = random.nextInt(3);
                    for (int u = 0; u < updates; u++) {
                      update(id, "U" + u);
                      history.add("Updated");
                    }
                    if (random.nextInt(5) == 0) {
                      delete(id);
                      history.add("Deleted");
                    }
                  }
                }));
      }
      for (int s = 0; s < 2; s++) {
        writers.add(
            pool.submit(
                () -> {
                  int round = 0;
                  while (System.nanoTime() < deadline) {
                    String id = create();
                    List<String> history = new ArrayList<>(List.of("Created"));
                    committed.put(id, history);
                    boolean rollBack = round++ % 3 == 2;
                    slowXids.put(
                        id,
                        slowUpdate(id, rollBack)
                            + " at "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                            + "ms");
                    if (rollBack) {
                      slowRollbacks.incrementAndGet();
                    } else {
                      history.add("Updated");
                      slowCommits.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      String cursor = reader.get(60, TimeUnit.SECONDS);
      int seenWhileWriting = seen.size();

      int expectedChanges = committed.values().stream().mapToInt(List::size).sum();
      long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (true) {
        Page page = feed(cursor, 1000);
        seen.addAll(page.changes());
        cursor = page.next();
        if (page.hasMore()) {
          continue;
        }
        long ours = seen.stream().filter(c -> committed.containsKey(c.contactId())).count();
        if (ours >= expectedChanges || System.nanoTime() > drainDeadline) {
          break;
        }
        Thread.sleep(50);
      }

      assertThat(committed.size()).as("contacts written").isGreaterThan(50);
      assertThat(slowCommits.get()).as("slow commits").isGreaterThanOrEqualTo(2);
      assertThat(slowRollbacks.get()).as("slow rollbacks").isGreaterThanOrEqualTo(1);
      assertThat(seenWhileWriting).as("changes read while writers ran").isPositive();

      List<String> disorder = new ArrayList<>();
      String previous = start;
      for (int i = 0; i < seen.size(); i++) {
        Change c = seen.get(i);
        if (compare(c.cursor(), previous) <= 0) {
          disorder.add(
              "#" + i + " " + c + " after " + previous + " slow=" + slowXids.get(c.contactId()));
        }
        previous = c.cursor();
      }
      assertThat(disorder)
          .as(
              "cursors out of order; slow transactions "
                  + slowXids
                  + "; reader "
                  + readerLog.subList(0, Math.min(40, readerLog.size())))
          .isEmpty();
      assertCursorsStrictlyIncrease(start, seen);
      Map<String, List<String>> read = new LinkedHashMap<>();
      for (Change c : seen) {
        if (committed.containsKey(c.contactId())) {
          read.computeIfAbsent(c.contactId(), k -> new ArrayList<>()).add(c.changeType());
        }
      }
      List<String> wrong = new ArrayList<>();
      committed.forEach(
          (id, history) -> {
            List<String> got = read.getOrDefault(id, List.of());
            if (!got.equals(history)) {
              wrong.add(id + " wrote " + history + " read " + got);
            }
          });
      assertThat(wrong)
          .as("contacts whose changes the feed missed, repeated or reordered")
          .isEmpty();
      assertThat(read.values().stream().mapToInt(List::size).sum()).isEqualTo(expectedChanges);
    } finally {
      writing.set(false);
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Updates a contact in a transaction that takes its id at once and then stays open a second, so
   * writers that start later commit first.
   */
  private String slowUpdate(String id, boolean rollBack) {
    return Objects.requireNonNull(
        transactions.execute(
            tx -> {
              jdbc.sql("update contacts set last_name = 'Slow', updated_at = now() where id = ?")
                  .param(UUID.fromString(id))
                  .update();
              String xid =
                  Objects.requireNonNull(
                      jdbc.sql("select pg_current_xact_id()::text").query(String.class).single());
              jdbc.sql(
                      "insert into contact_changes (contact_id, change_type) values (?, 'Updated')")
                  .param(UUID.fromString(id))
                  .update();
              try {
                Thread.sleep(1000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              if (rollBack) {
                tx.setRollbackOnly();
              }
              return xid;
            }));
  }

  private static int compare(String a, String b) {
    BigInteger[] x = position(a);
    BigInteger[] y = position(b);
    int order = x[0].compareTo(y[0]);
    return order != 0 ? order : x[1].compareTo(y[1]);
  }

  // ---------------------------------------------------------------- helpers

  /** One entry of the cursor feed. */
  record Change(String cursor, String contactId, String changeType, String changedAt) {}

  /** One page of the cursor feed. */
  record Page(List<Change> changes, String next, boolean hasMore) {}

  private Page feed(@Nullable String after, int count) {
    Api.Response r =
        api.get(
            "/api/v2/contacts/changes/feed?count="
                + count
                + (after == null ? "" : "&after=" + enc(after)));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode body = r.json();
    List<Change> changes = new ArrayList<>();
    body.path("changes")
        .forEach(
            c ->
                changes.add(
                    new Change(
                        c.path("cursor").asString(),
                        c.path("contactId").asString(),
                        c.path("changeType").asString(),
                        c.path("changedAt").asString())));
    return new Page(changes, body.path("next").asString(), body.path("hasMore").asBoolean());
  }

  /**
   * The position of the newest change, read from the database, so that tests of paging start from a
   * point that does not depend on the paging under test.
   */
  private String latestCursor() {
    return Objects.requireNonNull(
        jdbc.sql(
                """
                select coalesce((select c.tx::text || '.' || c.seq from contact_changes c
                                 order by c.tx desc, c.seq desc limit 1), '0.0')
                """)
            .query(String.class)
            .single());
  }

  /** Pages from the beginning to the current end and answers the cursor there. */
  private String endOfFeed() {
    String cursor = null;
    for (int guard = 0; guard < 10_000; guard++) {
      Page page = feed(cursor, 10_000);
      cursor = page.next();
      if (!page.hasMore()) {
        return cursor;
      }
    }
    throw new AssertionError("the feed did not end");
  }

  /** Waits until the feed after {@code start} holds {@code n} changes of these contacts. */
  private void awaitFeedCovers(String start, Set<String> ids, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long ours = 0;
      String cursor = start;
      while (true) {
        Page page = feed(cursor, 10_000);
        ours += page.changes().stream().filter(c -> ids.contains(c.contactId())).count();
        cursor = page.next();
        if (!page.hasMore()) {
          break;
        }
      }
      if (ours >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the feed shows " + ours + " of " + n + " changes");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static void assertCursorsStrictlyIncrease(String start, List<Change> changes) {
    Set<String> cursors = new HashSet<>();
    BigInteger[] previous = position(start);
    for (Change c : changes) {
      assertThat(cursors.add(c.cursor())).as("cursor repeated: " + c.cursor()).isTrue();
      BigInteger[] here = position(c.cursor());
      int order = here[0].compareTo(previous[0]);
      if (order == 0) {
        order = here[1].compareTo(previous[1]);
      }
      assertThat(order).as(c.cursor() + " after " + previous[0] + "." + previous[1]).isPositive();
      previous = here;
    }
  }

  private static BigInteger[] position(String cursor) {
    int dot = cursor.indexOf('.');
    return new BigInteger[] {
      new BigInteger(cursor.substring(0, dot)), new BigInteger(cursor.substring(dot + 1))
    };
  }

  private Api.Response changes(String type, String from, @Nullable String to) {
    return api.get(
        "/api/v2/contacts/changes?changeType="
            + enc(type)
            + "&fromDate="
            + enc(from)
            + (to == null ? "" : "&toDate=" + enc(to)));
  }

  private static List<String> ids(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(n -> ids.add(n.asString()));
    return ids;
  }

  private String create() {
    Api.Response r =
        api.post("/api/v2/contacts", Map.of("contactType", "Contact", "email", Api.uniqueEmail()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().path("id").asString();
  }

  private void update(String id, String firstName) {
    Api.Response r = api.post("/api/v2/contacts/" + id, Map.of("firstName", firstName));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private void delete(String id) {
    Api.Response r = api.delete("/api/v2/contacts/" + id);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private static String iso(Instant instant) {
    return OffsetDateTime.ofInstant(instant, SERVER_ZONE)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
