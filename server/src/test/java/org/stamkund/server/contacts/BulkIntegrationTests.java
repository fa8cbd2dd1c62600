package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Bulk create and update of contacts, their batch status and their races. */
class BulkIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;

  @Test
  void bulkCreateAnswersABareBatchIdAndItsStatus() {
    String a = Api.uniqueEmail();
    String b = Api.uniqueEmail();
    Api.Response posted =
        api.post(
            "/api/v2/contacts/bulk?contactType=Member",
            List.of(Map.of("email", a, "firstName", "Ada"), Map.of("email", b)));
    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
    assertThat(posted.json().isString()).as(posted.text()).isTrue();
    String batchId = posted.json().asString();
    assertThat(UUID.fromString(batchId).toString()).isEqualTo(batchId);

    JsonNode status = status(batchId);
    assertThat(status.path("batchId").asString()).isEqualTo(batchId);
    assertThat(status.path("operation").asString()).isEqualTo("Create");
    assertThat(status.path("contactType").asString()).isEqualTo("Member");
    assertThat(status.path("total").asInt()).isEqualTo(2);
    assertThat(status.path("succeeded").asInt()).isEqualTo(2);
    assertThat(status.path("failed").asInt()).isZero();
    JsonNode rows = status.path("rows");
    assertThat(rows.size()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      assertThat(rows.path(i).path("index").asInt()).isEqualTo(i);
      assertThat(rows.path(i).path("status").asString()).isEqualTo("Created");
      assertThat(text(rows.path(i).path("errorCode"))).isNull();
    }
    assertThat(idOf(a)).isEqualTo(rows.path(0).path("contactId").asString());
    assertThat(idOf(b)).isEqualTo(rows.path(1).path("contactId").asString());
    JsonNode ada = api.get("/api/v2/contacts/" + idOf(a)).json();
    assertThat(ada.path("attributes").path("firstName").asString()).isEqualTo("Ada");
    assertThat(ada.path("meta").path("contactType").asString()).isEqualTo("Member");
  }

  @Test
  void anImportUnderATypeWhoseKeysChangedElsewhereIsRefusedAndWritesNothing() {
    String type = ContactTestData.contactType(api, "BulkKeys_", "email");
    String first = Api.uniqueEmail();
    Api.Response warm =
        api.post("/api/v2/contacts/bulk?contactType=" + type, List.of(Map.of("email", first)));
    assertThat(warm.status()).as(warm.toString()).isEqualTo(200);
    // Another node changes the type's key; this node's cached type still says e-mail.
    jdbc.sql("update contact_types set key_attributes = '{externalId}' where id = ?")
        .param(type)
        .update();

    String second = Api.uniqueEmail();
    Api.Response refused =
        api.post("/api/v2/contacts/bulk?contactType=" + type, List.of(Map.of("email", second)));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ContactTypeChanged");
    assertThat(
            jdbc.sql("select count(*) from contacts where email = ?")
                .param(second)
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void anImportGivesContactTablesWithoutStatisticsTheirFirst() {
    jdbc.sql("delete from pg_statistic where starelid = 'contacts'::regclass").update();
    assertThat(statisticsOf("contacts")).isZero();

    Api.Response posted =
        api.post(
            "/api/v2/contacts/bulk?contactType=Member",
            List.of(Map.of("email", Api.uniqueEmail())));
    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);

    assertThat(statisticsOf("contacts")).isPositive();
  }

  private int statisticsOf(String table) {
    return jdbc.sql("select count(*) from pg_stats where tablename = ?")
        .param(table)
        .query(Integer.class)
        .single();
  }

  @Test
  void oneBadRowFailsAloneWhileTheOthersAreCreated() {
    String first = Api.uniqueEmail();
    String last = Api.uniqueEmail();
    JsonNode status =
        status(
            post(
                List.of(
                    Map.of("email", first),
                    Map.of("email", "not-an-email"),
                    Map.of("email", last))));
    assertThat(status.path("total").asInt()).isEqualTo(3);
    assertThat(status.path("succeeded").asInt()).isEqualTo(2);
    assertThat(status.path("failed").asInt()).isEqualTo(1);
    JsonNode bad = status.path("rows").path(1);
    assertThat(bad.path("index").asInt()).isEqualTo(1);
    assertThat(bad.path("status").asString()).isEqualTo("Failed");
    assertThat(bad.path("errorCode").asString()).isEqualTo("InvalidEmailAddress");
    assertThat(bad.path("field").asString()).isEqualTo("email");
    assertThat(text(bad.path("contactId"))).isNull();

    assertThat(idOf(first)).isEqualTo(status.path("rows").path(0).path("contactId").asString());
    assertThat(idOf(last)).isEqualTo(status.path("rows").path(2).path("contactId").asString());
  }

  @Test
  void rowsThatAreNotContactsFailAlone() {
    String good = Api.uniqueEmail();
    JsonNode status =
        status(post("[42, \"text\", {\"firstName\": \"No key\"}, {\"email\": \"" + good + "\"}]"));
    JsonNode rows = status.path("rows");
    assertThat(rows.path(0).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(1).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(2).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(2).path("field").asString()).isEqualTo("email");
    assertThat(rows.path(3).path("status").asString()).isEqualTo("Created");
    assertThat(status.path("succeeded").asInt()).isEqualTo(1);
    assertThat(status.path("failed").asInt()).isEqualTo(3);
    assertThat(idOf(good)).isEqualTo(rows.path(3).path("contactId").asString());
  }

  @Test
  void batchOfOnlyBadRowsIsRecordedWithEveryRowFailed() {
    JsonNode status = status(post(List.of(Map.of("email", "nope"), Map.of("email", "@x"))));
    assertThat(status.path("total").asInt()).isEqualTo(2);
    assertThat(status.path("succeeded").asInt()).isZero();
    assertThat(status.path("failed").asInt()).isEqualTo(2);
  }

  @Test
  void rowWhoseKeyAlreadyExistsFailsWithApprovedContactWithKeyExists() {
    String taken = Api.uniqueEmail();
    String existing =
        api.post("/api/v2/contacts", Map.of("email", taken)).json().path("id").asString();
    String fresh = Api.uniqueEmail();
    JsonNode status =
        status(
            post(
                List.of(Map.of("email", " " + taken.toUpperCase() + " "), Map.of("email", fresh))));
    JsonNode row = status.path("rows").path(0);
    assertThat(row.path("status").asString()).isEqualTo("Failed");
    assertThat(row.path("errorCode").asString()).isEqualTo("ApprovedContactWithKeyExists");
    assertThat(row.path("field").asString()).isEqualTo("email");
    assertThat(status.path("rows").path(1).path("status").asString()).isEqualTo("Created");
    assertThat(idOf(taken)).isEqualTo(existing);
    assertThat(emailCount(taken)).isEqualTo(1);
    // The batch was first inserted whole and undone when the taken key showed: no trace of that.
    String created = idOf(fresh);
    assertThat(emailCount(fresh)).isEqualTo(1);
    assertThat(
            jdbc.sql("select count(*) from contact_changes where contact_id = ?::uuid")
                .param(created)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "select count(*) from webhook_events where contact_id = ?::uuid"
                        + " and type = 'contact.created'")
                .param(created)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void secondRowWithTheSameKeyInABatchFailsAsDuplicateKeyInBatch() {
    String email = Api.uniqueEmail();
    JsonNode status =
        status(
            post(
                List.of(
                    Map.of("email", email, "firstName", "First"),
                    Map.of("email", Api.uniqueEmail()),
                    Map.of("email", email.toUpperCase(), "firstName", "Second"))));
    JsonNode rows = status.path("rows");
    assertThat(rows.path(0).path("status").asString()).isEqualTo("Created");
    assertThat(rows.path(1).path("status").asString()).isEqualTo("Created");
    assertThat(rows.path(2).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(2).path("errorCode").asString()).isEqualTo("DuplicateKeyInBatch");
    assertThat(rows.path(2).path("field").asString()).isEqualTo("email");
    assertThat(emailCount(email)).isEqualTo(1);
    JsonNode stored = api.get("/api/v2/contacts/" + idOf(email)).json();
    assertThat(stored.path("attributes").path("firstName").asString()).isEqualTo("First");
  }

  @Test
  void membersGetDistinctMemberNumbers() {
    JsonNode status = status(post(newMembers(25)));
    assertThat(status.path("succeeded").asInt()).isEqualTo(25);
    Set<String> numbers = new HashSet<>();
    for (JsonNode row : status.path("rows")) {
      JsonNode contact = api.get("/api/v2/contacts/" + row.path("contactId").asString()).json();
      String number = contact.path("attributes").path("memberNumber").asString();
      assertThat(number).matches("\\d+");
      numbers.add(number);
    }
    assertThat(numbers).hasSize(25);
    for (String number : numbers) {
      assertThat(
              jdbc.sql("select count(*) from contacts where member_number = ?")
                  .param(Long.parseLong(number))
                  .query(Long.class)
                  .single())
          .isEqualTo(1);
    }
  }

  @Test
  void createdContactsAreRecordedAsChangesInTheirRowOrder() {
    List<String> created = importedIds(newMembers(12));

    var recorded =
        jdbc.sql(
                """
                select contact_id::text from contact_changes
                where contact_id = any(?::uuid[]) and change_type = 'Created' order by tx, seq
                """)
            .param(created.toArray(String[]::new))
            .query(String.class)
            .list();
    assertThat(created).hasSize(12);
    assertThat(recorded).containsExactlyElementsOf(created);
  }

  @Test
  void importsOfATypeWithTwoColumnKeysTakeTurns() throws Exception {
    // Rows are copied in the order of one key column: with two, concurrent imports could wait for
    // each other in opposite orders, so they take turns on the type's import lock.
    String type = ContactTestData.contactType(api, "Two", "email", "mobilePhone");
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<?> other =
          pool.submit(
              () ->
                  transactions.executeWithoutResult(
                      tx -> {
                        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                            .param("bulk import " + type)
                            .query((rs, n) -> 1)
                            .list();
                        held.countDown();
                        try {
                          release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      Future<Api.Response> importing =
          pool.submit(
              () ->
                  api.post(
                      "/api/v2/contacts/bulk?contactType=" + type,
                      List.of(
                          Map.of(
                              "email",
                              Api.uniqueEmail(),
                              "mobilePhone",
                              ContactTestData.mobilePhone()))));
      Api.Response member = api.post("/api/v2/contacts/bulk?contactType=Member", newMembers(1));
      Thread.sleep(500);

      assertThat(member.status()).as("an import of a one-key type does not wait").isEqualTo(200);
      assertThat(importing.isDone()).as("the import waits for its turn").isFalse();
      release.countDown();
      other.get(30, TimeUnit.SECONDS);
      Api.Response done = importing.get(30, TimeUnit.SECONDS);
      assertThat(done.status()).as(done.toString()).isEqualTo(200);
    }
  }

  @Test
  void aRowRefusedForItsSecondKeyLeavesItsFirstKeyToALaterRow() {
    String type = ContactTestData.contactType(api, "Two", "email", "mobilePhone");
    String phone = ContactTestData.mobilePhone();
    String email = Api.uniqueEmail();

    Api.Response posted =
        api.post(
            "/api/v2/contacts/bulk?contactType=" + type,
            List.of(
                Map.of("email", Api.uniqueEmail(), "mobilePhone", phone),
                Map.of("email", email, "mobilePhone", phone),
                Map.of("email", email, "mobilePhone", ContactTestData.mobilePhone())));
    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
    JsonNode rows = status(posted.json().asString()).path("rows");

    assertThat(rows.path(0).path("status").asString()).isEqualTo("Created");
    assertThat(rows.path(1).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(1).path("errorCode").asString()).isEqualTo("DuplicateKeyInBatch");
    assertThat(rows.path(1).path("field").asString()).isEqualTo("mobilePhone");
    assertThat(rows.path(2).path("status").asString()).as(rows.toString()).isEqualTo("Created");
  }

  @Test
  void eachCreatedContactHasItsOwnCreatedEventInRowOrder() {
    List<String> created = importedIds(newMembers(7));

    var events =
        jdbc.sql(
                """
                select contact_id::text, data->>'contactId', data->>'memberNumber'
                from webhook_events
                where contact_id = any(?::uuid[]) and type = 'contact.created' order by tx, seq
                """)
            .param(created.toArray(String[]::new))
            .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
            .list();
    var numbers =
        jdbc
            .sql("select id::text, member_number::text from contacts where id = any(?::uuid[])")
            .param(created.toArray(String[]::new))
            .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
            .list()
            .stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    assertThat(created).hasSize(7);
    assertThat(events)
        .containsExactlyElementsOf(
            created.stream().map(id -> List.of(id, id, numbers.get(id))).toList());
  }

  /** The ids of the contacts a batch of these rows created, in row order. */
  private List<String> importedIds(List<Map<String, Object>> rows) {
    List<String> created = new ArrayList<>();
    status(post(rows)).path("rows").forEach(row -> created.add(row.path("contactId").asString()));
    return created;
  }

  /** Rows of {@code count} new members, each with its own e-mail. */
  private static List<Map<String, Object>> newMembers(int count) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(Map.of("email", Api.uniqueEmail()));
    }
    return rows;
  }

  @Test
  void contactTypeContactGetsNoMemberNumbers() {
    String email = Api.uniqueEmail();
    JsonNode status =
        status(
            api.post("/api/v2/contacts/bulk?contactType=contact", List.of(Map.of("email", email)))
                .json()
                .asString());
    assertThat(status.path("contactType").asString()).isEqualTo("Contact");
    JsonNode contact = api.get("/api/v2/contacts/" + idOf(email)).json();
    assertThat(contact.path("meta").path("contactType").asString()).isEqualTo("Contact");
    assertThat(contact.path("attributes").path("memberNumber").isNull()).isTrue();
  }

  @Test
  void fourThousandRowsAreAcceptedAndOneMoreIsTooManyContactsWithNothingWritten() {
    String domain = "@b" + UUID.randomUUID().toString().substring(0, 8) + ".example.se";
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 4001; i++) {
      rows.add(Map.of("email", "r" + i + domain));
    }
    Api.Response tooMany = api.post("/api/v2/contacts/bulk?contactType=Member", rows);
    assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
    assertThat(tooMany.errorCode()).isEqualTo("TooManyContacts");
    assertThat(domainCount(domain)).isZero();

    JsonNode status = status(post(rows.subList(0, 4000)));
    assertThat(status.path("succeeded").asInt()).isEqualTo(4000);
    assertThat(domainCount(domain)).isEqualTo(4000);
  }

  @Test
  void emptyArrayIsNoData() {
    for (String method : List.of("POST", "PATCH")) {
      Api.Response r = api.send(method, "/api/v2/contacts/bulk", "[]", Map.of());
      assertThat(r.status()).as(method + " " + r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("NoData");
    }
  }

  @Test
  void missingBodyIsNoData() {
    Api.Response r = api.post("/api/v2/contacts/bulk", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("NoData");
  }

  @Test
  void bodyThatIsNotAnArrayIsABadRequest() {
    for (String body :
        List.of("{\"email\": \"" + Api.uniqueEmail() + "\"}", "\"text\"", "42", "[{\"email\": ")) {
      for (String method : List.of("POST", "PATCH")) {
        Api.Response r = api.send(method, "/api/v2/contacts/bulk", body, Map.of());
        assertThat(r.status()).as(method + " " + body + " -> " + r).isEqualTo(400);
        assertThat(r.errorCode()).as(body).isIn("InvalidJson", "NoData");
      }
    }
  }

  @Test
  void unknownContactTypeIsRejected() {
    Api.Response r =
        api.post(
            "/api/v2/contacts/bulk?contactType=Nobody",
            List.of(Map.of("email", Api.uniqueEmail())));
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("InvalidContactType");
    assertThat(r.json().path("messageDetails").path("field").asString()).isEqualTo("contactType");
  }

  @Test
  void bulkUpdateMatchesOnTheEmailKeyAndLeavesAbsentFieldsAlone() {
    String a = Api.uniqueEmail();
    String b = Api.uniqueEmail();
    status(
        post(
            List.of(
                Map.of("email", a, "firstName", "Ada", "lastName", "Lind", "city", "Lund"),
                Map.of("email", b, "firstName", "Bo", "lastName", "Berg"))));
    String unknown = Api.uniqueEmail();

    Api.Response patched =
        api.patch(
            "/api/v2/contacts/bulk?contactType=Member",
            List.of(
                Map.of("email", a.toUpperCase(), "firstName", "Adele", "city", ""),
                Map.of("email", unknown, "firstName", "Nobody"),
                Map.of("firstName", "Keyless"),
                Map.of("email", b, "gender", "Unknown")));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().isString()).isTrue();
    JsonNode status = status(patched.json().asString());
    assertThat(status.path("operation").asString()).isEqualTo("Update");
    assertThat(status.path("total").asInt()).isEqualTo(4);
    assertThat(status.path("succeeded").asInt()).isEqualTo(1);
    assertThat(status.path("failed").asInt()).isEqualTo(3);
    JsonNode rows = status.path("rows");
    assertThat(rows.path(0).path("status").asString()).isEqualTo("Updated");
    assertThat(rows.path(0).path("contactId").asString()).isEqualTo(idOf(a));
    assertThat(rows.path(1).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(1).path("errorCode").asString()).isEqualTo("ContactNotFound");
    assertThat(rows.path(2).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(2).path("errorCode").asString()).isEqualTo("ContactKeyMissing");
    assertThat(rows.path(2).path("field").asString()).isEqualTo("email");
    assertThat(rows.path(3).path("status").asString()).isEqualTo("Failed");
    assertThat(rows.path(3).path("errorCode").asString()).isEqualTo("InvalidGender");

    JsonNode ada = api.get("/api/v2/contacts/" + idOf(a)).json().path("attributes");
    assertThat(ada.path("firstName").asString()).isEqualTo("Adele");
    assertThat(ada.path("lastName").asString()).isEqualTo("Lind");
    assertThat(ada.path("city").isNull()).isTrue();
    JsonNode bo = api.get("/api/v2/contacts/" + idOf(b)).json().path("attributes");
    assertThat(bo.path("firstName").asString()).isEqualTo("Bo");
    assertThat(bo.path("lastName").asString()).isEqualTo("Berg");
    assertThat(bo.path("gender").isNull()).isTrue();
    assertThat(emailCount(unknown)).isZero();
  }

  @Test
  void statusOfAnUnknownBatchIsBatchNotFound() {
    Api.Response r = api.get("/api/v2/contacts/bulk/status?batchId=" + UUID.randomUUID());
    assertThat(r.status()).as(r.toString()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo("BatchNotFound");
  }

  @Test
  void malformedOrMissingBatchIdIsABadRequest() {
    Api.Response malformed = api.get("/api/v2/contacts/bulk/status?batchId=not-a-batch");
    assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
    assertThat(malformed.json().path("messageDetails").path("field").asString())
        .isEqualTo("batchId");
    Api.Response missing = api.get("/api/v2/contacts/bulk/status");
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(missing.json().path("messageDetails").path("field").asString()).isEqualTo("batchId");
  }

  /**
   * Two batches race over the same e-mail addresses, listed in the same order: every address ends
   * up as exactly one contact, created by exactly one of the batches.
   */
  @Test
  void concurrentBatchesWithOverlappingEmailsCreateEachContactOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      raceOverlappingBatches(false, 300);
    }
  }

  /**
   * As above, but the second batch lists the shared addresses in reverse order, as an unrelated
   * client would.
   */
  @Test
  void concurrentBatchesWithOverlappingEmailsInAnyOrderCreateEachContactOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      raceOverlappingBatches(true, 1000);
    }
  }

  private void raceOverlappingBatches(boolean reverseSecond, int sharedCount) throws Exception {
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < sharedCount; i++) {
      shared.add(Api.uniqueEmail());
    }
    List<String> first = new ArrayList<>(shared);
    List<String> second = new ArrayList<>(reverseSecond ? shared.reversed() : shared);
    for (int i = 0; i < 100; i++) {
      first.add(i * 3, Api.uniqueEmail());
      second.add(i * 3, Api.uniqueEmail());
    }
    List<List<String>> batches = List.of(first, second);
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Api.Response> responses = new ArrayList<>();
    try {
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (List<String> emails : batches) {
        String body = rowsJson(emails);
        futures.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return api.post("/api/v2/contacts/bulk?contactType=Member", body);
                }));
      }
      for (Future<Api.Response> f : futures) {
        responses.add(f.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    for (Api.Response r : responses) {
      assertThat(r.status()).as("reverse=" + reverseSecond + ": " + r).isEqualTo(200);
    }
    List<Map<String, JsonNode>> outcomes = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      JsonNode status = status(responses.get(b).json().asString());
      List<String> emails = batches.get(b);
      assertThat(status.path("total").asInt()).isEqualTo(emails.size());
      Map<String, JsonNode> byEmail = new java.util.HashMap<>();
      for (JsonNode row : status.path("rows")) {
        byEmail.put(emails.get(row.path("index").asInt()), row);
      }
      outcomes.add(byEmail);
    }
    for (String email : shared) {
      assertThat(emailCount(email)).as(email).isEqualTo(1);
      JsonNode one = Objects.requireNonNull(outcomes.get(0).get(email), email);
      JsonNode two = Objects.requireNonNull(outcomes.get(1).get(email), email);
      List<String> statuses = List.of(one.path("status").asString(), two.path("status").asString());
      assertThat(statuses).as(email).containsExactlyInAnyOrder("Created", "Failed");
      boolean firstFailed = one.path("status").asString().equals("Failed");
      JsonNode failed = firstFailed ? one : two;
      JsonNode created = firstFailed ? two : one;
      assertThat(failed.path("errorCode").asString()).isEqualTo("ApprovedContactWithKeyExists");
      assertThat(created.path("contactId").asString()).isEqualTo(idOf(email));
    }
    for (int b = 0; b < 2; b++) {
      for (String email : batches.get(b)) {
        if (!shared.contains(email)) {
          JsonNode row = Objects.requireNonNull(outcomes.get(b).get(email), email);
          assertThat(row.path("status").asString()).isEqualTo("Created");
          assertThat(emailCount(email)).isEqualTo(1);
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String rowsJson(List<String> emails) {
    StringBuilder json = new StringBuilder("[");
    for (String email : emails) {
      json.append(json.length() == 1 ? "" : ",")
          .append("{\"email\":\"")
          .append(email)
          .append("\"}");
    }
    return json.append(']').toString();
  }

  private String post(Object rows) {
    Api.Response r = api.post("/api/v2/contacts/bulk?contactType=Member", rows);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().isString()).as(r.text()).isTrue();
    return r.json().asString();
  }

  private JsonNode status(String batchId) {
    Api.Response r = api.get("/api/v2/contacts/bulk/status?batchId=" + batchId);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private String idOf(String email) {
    Api.Response r = api.get("/api/v2/contacts/id?email=" + email.strip().toLowerCase());
    assertThat(r.status()).as(email + ": " + r).isEqualTo(200);
    return r.json().asString();
  }

  private long emailCount(String email) {
    return jdbc.sql("select count(*) from contacts where email = ?")
        .param(email.strip().toLowerCase())
        .query(Long.class)
        .single();
  }

  private long domainCount(String domain) {
    return jdbc.sql("select count(*) from contacts where email like ?")
        .param("%" + domain)
        .query(Long.class)
        .single();
  }

  private static @Nullable String text(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? null : node.asString();
  }
}
