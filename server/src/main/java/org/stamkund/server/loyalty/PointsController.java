package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.points.ExpiryPolicy;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Points: the legacy bonus-point ledger and adjustment, and the point-accounts API (§2.7, §3.5).
 */
@RestController
@Tag(name = "Points")
class PointsController {

  /** Stamkund has one point type, the programme's bonus points. */
  static final long DEFINITION_ID = 1;

  static final int MAX_TRANSACTIONS = 1000;

  /** The largest adjustment, either way. */
  static final long MAX_POINTS = 100_000_000;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final PointsLedger ledger;
  private final ReceiptManagement receipts;
  private final ProgramCatalog programs;
  private final LoyaltyReads reads;
  private final JsonMapper json;
  private final StamkundProperties properties;
  private final Clock clock;

  private final org.springframework.context.ApplicationEventPublisher events;

  PointsController(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      PointsLedger ledger,
      ReceiptManagement receipts,
      ProgramCatalog programs,
      LoyaltyReads reads,
      JsonMapper json,
      StamkundProperties properties,
      Clock clock,
      org.springframework.context.ApplicationEventPublisher events) {
    this.events = events;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.ledger = ledger;
    this.receipts = receipts;
    this.programs = programs;
    this.reads = reads;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/api/v2/contacts/{contactId}/bonuspointtransactions")
  @Operation(summary = "A contact's points ledger, newest first")
  Map<String, Object> bonusPointTransactions(
      @PathVariable String contactId,
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count) {
    UUID id = reads.requireContact(contactId);
    int o = LoyaltyReads.offset(offset);
    int c = LoyaltyReads.count(count);
    List<Map<String, @Nullable Object>> items =
        ledger.movements(id, o, c).stream()
            .map(
                m -> {
                  Map<String, @Nullable Object> item = new LinkedHashMap<>();
                  item.put("id", Long.toString(m.id()));
                  item.put("amount", m.amount());
                  item.put("transactionDateTime", time(m.createdAt()));
                  item.put("description", m.reason());
                  item.put("type", m.type());
                  item.put("automationBonusAdjustmentReason", null);
                  return item;
                })
            .toList();
    return LoyaltyReads.paged(items, ledger.movementCount(id), o, c);
  }

  /** Body of the adjustment: points (+/-), description, type. */
  record Adjustment(@Nullable Long points, @Nullable String description, @Nullable String type) {}

  @PostMapping("/api/v2/contacts/{contactId}/rewardpointtransaction")
  @Operation(summary = "Adjust a contact's points up or down")
  Map<String, Object> adjust(
      @PathVariable String contactId, @RequestBody(required = false) @Nullable Adjustment body) {
    UUID id = reads.requireContact(contactId);
    if (body == null || body.points() == null || body.points() == 0) {
      throw ApiException.badField("InvalidPoints", "points", "a non-zero whole number is required");
    }
    long points = body.points();
    if (Math.abs(points) > MAX_POINTS) {
      throw ApiException.badField("InvalidPoints", "points", "at most 100,000,000 either way");
    }
    String reason = body.description() == null ? "Adjustment" : body.description();
    long total =
        transactions.execute(
            tx -> {
              LoyaltyProgram program = programs.current();
              ledger.lock(id);
              Instant now = clock.instant();
              change(id, points, "Adjustment", reason, "api", program, now, now, null);
              return ledger.total(id);
            });
    return Map.of("contactId", id.toString(), "totalRewardPoints", total);
  }

  /** Applies one change under the member's lock, converting to vouchers when it reaches one. */
  private void change(
      UUID contactId,
      long amount,
      String type,
      String reason,
      @Nullable String source,
      LoyaltyProgram program,
      Instant now,
      Instant validFrom,
      @Nullable Instant validTo) {
    long before = ledger.total(contactId);
    if (amount > 0) {
      Instant expires =
          validTo != null
              ? validTo
              : ExpiryPolicy.lotExpiry(program.expiry(), now, properties.timeZone());
      ledger.earnAll(
          List.of(
              new PointsLedger.Earning(
                  contactId,
                  ledger.total(contactId),
                  amount,
                  type,
                  reason,
                  null,
                  source,
                  now,
                  validFrom,
                  expires)),
          now);
    } else {
      // Active lots first, then pending ones: the lots stay in step with the total.
      ledger.spend(contactId, -amount, type, reason, null, null, source, false, List.of(), now);
    }
    receipts.convert(contactId, program, now);
    long balance = ledger.total(contactId);
    events.publishEvent(
        new DomainEvent(
            "points.changed",
            contactId,
            Map.of("balance", balance, "change", balance - before, "cause", type)));
  }

  @GetMapping("/api/v2/point-accounts")
  @Operation(summary = "A contact's point accounts (one per point definition)")
  Map<String, Object> accounts(
      @RequestParam(required = false) @Nullable String contactId,
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count) {
    if (contactId == null || contactId.isBlank()) {
      throw ApiException.badField("MissingParameter", "contactId", "is required");
    }
    UUID id = reads.requireContact(contactId);
    int o = LoyaltyReads.offset(offset);
    int c = LoyaltyReads.count(count);
    transactions.executeWithoutResult(tx -> ledger.lock(id));
    List<Map<String, @Nullable Object>> items = o > 0 ? List.of() : List.of(account(id));
    Map<String, Object> page = LoyaltyReads.paged(items, 1, o, c);
    page.put("links", List.of());
    return page;
  }

  @GetMapping("/api/v2/point-accounts/{id}")
  @Operation(summary = "One point account")
  Map<String, @Nullable Object> account(@PathVariable String id) {
    UUID contactId =
        jdbc.sql("select contact_id from point_accounts where id = ?")
            .param(parseLong(id, "id"))
            .query((rs, n) -> rs.getObject(1, UUID.class))
            .optional()
            .orElseThrow(
                () -> ApiException.notFound("PointAccountNotFound", "no point account " + id));
    return account(contactId);
  }

  private Map<String, @Nullable Object> account(UUID contactId) {
    Instant now = clock.instant();
    long accountId =
        jdbc.sql("select id from point_accounts where contact_id = ?")
            .param(contactId)
            .query(Long.class)
            .single();
    long pending = ledger.pending(contactId, now);
    Instant expires = ledger.nextExpiry(contactId);
    Map<String, @Nullable Object> a = new LinkedHashMap<>();
    a.put("id", accountId);
    a.put("contactId", contactId.toString());
    a.put("definitionId", DEFINITION_ID);
    a.put("balance", ledger.total(contactId) - pending);
    a.put("pendingPoints", pending);
    a.put("balanceExpires", expires == null ? null : time(expires));
    a.put("links", List.of());
    return a;
  }

  @GetMapping("/api/v2/point-accounts/definitions")
  @Operation(summary = "Point definitions")
  List<Map<String, Object>> definitions(
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count) {
    return LoyaltyReads.offset(offset) > 0 ? List.of() : List.of(definition());
  }

  @GetMapping("/api/v2/point-accounts/definitions/{id}")
  @Operation(summary = "One point definition")
  Map<String, Object> definition(@PathVariable String id) {
    if (parseLong(id, "id") != DEFINITION_ID) {
      throw ApiException.notFound("PointDefinitionNotFound", "no point definition " + id);
    }
    return definition();
  }

  private static Map<String, Object> definition() {
    return Map.of(
        "id",
        DEFINITION_ID,
        "name",
        "Bonus points",
        "description",
        "Points earned on purchases",
        "links",
        List.of());
  }

  @GetMapping("/api/v2/point-accounts/transactions")
  @Operation(
      summary = "Ledger rows of an account",
      description =
          "By accountId, or by contactId and definitionId; filter All, Active or Pending.")
  Map<String, Object> accountTransactions(
      @RequestParam(required = false) @Nullable String accountId,
      @RequestParam(required = false) @Nullable String contactId,
      @RequestParam(required = false) @Nullable String definitionId,
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count,
      @RequestParam(required = false) @Nullable String filter) {
    UUID id;
    if (accountId != null && !accountId.isBlank()) {
      id =
          jdbc.sql("select contact_id from point_accounts where id = ?")
              .param(parseLong(accountId, "accountId"))
              .query((rs, n) -> rs.getObject(1, UUID.class))
              .optional()
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "PointAccountNotFound", "no point account " + accountId));
    } else if (contactId != null && !contactId.isBlank()) {
      id = reads.requireContact(contactId);
      if (definitionId != null
          && !definitionId.isBlank()
          && parseLong(definitionId, "definitionId") != DEFINITION_ID) {
        throw ApiException.notFound(
            "PointDefinitionNotFound", "no point definition " + definitionId);
      }
    } else {
      throw ApiException.badField(
          "MissingParameter", "accountId", "give accountId, or contactId and definitionId");
    }
    String where =
        switch (filter == null ? "all" : filter.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "all" -> "";
          case "active" -> " and valid_from <= ?";
          case "pending" -> " and valid_from > ?";
          default ->
              throw ApiException.badField("InvalidFilter", "filter", "All, Active or Pending");
        };
    int o = LoyaltyReads.offset(offset);
    int c = LoyaltyReads.count(count);
    List<Object> params = new ArrayList<>(List.of(id));
    if (!where.isEmpty()) {
      params.add(Timestamp.from(clock.instant()));
    }
    long total =
        jdbc.sql("select count(*) from point_movements where contact_id = ?" + where)
            .params(params)
            .query(Long.class)
            .single();
    params.add(o);
    params.add(c);
    long account = accountIdOf(id);
    List<Map<String, @Nullable Object>> items =
        jdbc
            .sql(
                "select * from point_movements where contact_id = ?"
                    + where
                    + " order by id desc offset ? limit ?")
            .params(params)
            .query(PointsLedger::movement)
            .list()
            .stream()
            .map(m -> transaction(m, account))
            .toList();
    Map<String, Object> page = LoyaltyReads.paged(items, total, o, c);
    page.put("links", List.of());
    return page;
  }

  @GetMapping("/api/v2/point-accounts/transactions/{id}")
  @Operation(summary = "One ledger row")
  Map<String, @Nullable Object> accountTransaction(@PathVariable String id) {
    return jdbc.sql("select * from point_movements where id = ?")
        .param(parseLong(id, "id"))
        .query(PointsLedger::movement)
        .optional()
        .map(m -> transaction(m, accountIdOf(m.contactId())))
        .orElseThrow(
            () -> ApiException.notFound("PointTransactionNotFound", "no point transaction " + id));
  }

  private long accountIdOf(UUID contactId) {
    return jdbc.sql("select id from point_accounts where contact_id = ?")
        .param(contactId)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  private Map<String, @Nullable Object> transaction(PointsLedger.Movement m, long accountId) {
    Map<String, @Nullable Object> t = new LinkedHashMap<>();
    t.put("id", m.id());
    t.put("accountId", accountId);
    t.put("amount", m.amount());
    t.put("type", m.type());
    t.put("source", m.source());
    t.put("description", m.reason());
    t.put("transactionDate", time(m.createdAt()));
    t.put("createdOn", time(m.createdAt()));
    t.put("modifiedOn", time(m.createdAt()));
    t.put("validFrom", time(m.validFrom()));
    t.put("validTo", m.expiresAt() == null ? null : time(m.expiresAt()));
    t.put("retailTransactionLineItemId", m.receiptId() == null ? null : m.receiptId().toString());
    t.put("links", List.of());
    return t;
  }

  @PostMapping("/api/v2/point-accounts/transactions")
  @Operation(
      summary = "Add up to 1,000 ledger rows",
      description =
          "Rows: {contactId, amount, definitionId, timeStamp, source, description, validFrom,"
              + " validTo}. Bad rows are skipped and listed, not rejected. An Idempotency-Key"
              + " header makes a repeat within 24 hours answer the first result without effect.")
  ResponseEntity<JsonNode> addTransactions(
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    if (body == null || !body.isArray() || body.isEmpty()) {
      throw ApiException.badField("NoData", "body", "send an array of point transactions");
    }
    if (body.size() > MAX_TRANSACTIONS) {
      throw ApiException.badField(
          "TooManyTransactions", "body", "at most " + MAX_TRANSACTIONS + " rows");
    }
    String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
    if (key != null && key.length() > 200) {
      throw ApiException.badField(
          "InvalidIdempotencyKey", "Idempotency-Key", "at most 200 characters");
    }
    byte[] hash = sha256(json.writeValueAsString(body));
    JsonNode result =
        transactions.execute(
            tx -> {
              if (key != null) {
                jdbc.sql(
                        "delete from idempotency_keys where created_at < now() - interval '24 hours'")
                    .update();
                int fresh =
                    jdbc.sql(
                            """
                            insert into idempotency_keys (key, request_hash, status, response)
                            values (?, ?, 202, '{}') on conflict (key) do nothing
                            """)
                        .params(key, hash)
                        .update();
                if (fresh == 0) {
                  return replay(key, hash);
                }
              }
              JsonNode answer = json.valueToTree(apply(body));
              if (key != null) {
                jdbc.sql("update idempotency_keys set response = ?::jsonb where key = ?")
                    .params(json.writeValueAsString(answer), key)
                    .update();
              }
              return answer;
            });
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(result);
  }

  private JsonNode replay(String key, byte[] hash) {
    record Stored(byte[] hash, String response) {}
    Stored stored =
        jdbc.sql("select request_hash, response::text from idempotency_keys where key = ?")
            .param(key)
            .query((rs, n) -> new Stored(rs.getBytes(1), rs.getString(2)))
            .single();
    if (!MessageDigest.isEqual(stored.hash(), hash)) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "IdempotencyKeyReused",
          "Idempotency-Key: already used for a different request",
          Map.of("field", "Idempotency-Key"));
    }
    return json.readTree(stored.response());
  }

  private Map<String, List<Object>> apply(JsonNode rows) {
    List<Object> notAccepted = new ArrayList<>();
    List<Object> errors = new ArrayList<>();
    List<Object> missingDefinitions = new ArrayList<>();
    List<Object> missingContacts = new ArrayList<>();
    LoyaltyProgram program = programs.current();
    Instant now = clock.instant();
    // Members are locked in one order, so two batches naming the same members never deadlock.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      order.add(i);
    }
    order.sort(java.util.Comparator.comparing(i -> rows.get(i).path("contactId").asString("")));
    for (int i : order) {
      JsonNode row = rows.get(i);
      String contactText = row.path("contactId").asString("");
      long definition = row.path("definitionId").asLong(DEFINITION_ID);
      JsonNode amountNode = row.path("amount");
      String source = row.path("source").asString("");
      String description = row.path("description").asString("");
      UUID contact;
      try {
        contact = UUID.fromString(contactText.strip());
      } catch (IllegalArgumentException e) {
        notAccepted.add(row);
        errors.add("row " + i + ": contactId is not a contact id");
        continue;
      }
      if (definition != DEFINITION_ID) {
        notAccepted.add(row);
        missingDefinitions.add(definition);
        continue;
      }
      if (!amountNode.isIntegralNumber()
          || amountNode.asLong() == 0
          || Math.abs(amountNode.asLong()) > MAX_POINTS
          || source.isBlank()
          || description.isBlank()) {
        notAccepted.add(row);
        errors.add(
            "row "
                + i
                + ": amount (a non-zero whole number up to 100,000,000 either way), source and"
                + " description are required");
        continue;
      }
      DateField validFrom = dateField(row, "validFrom");
      DateField validTo = dateField(row, "validTo");
      if (!validFrom.valid() || !validTo.valid()) {
        notAccepted.add(row);
        errors.add("row " + i + ": validFrom and validTo are ISO-8601 dates");
        continue;
      }
      boolean exists =
          jdbc.sql("select exists (select 1 from contacts where id = ?)")
              .param(contact)
              .query(Boolean.class)
              .single();
      if (!exists) {
        notAccepted.add(row);
        missingContacts.add(contact.toString());
        continue;
      }
      ledger.lock(contact);
      Instant locked = clock.instant();
      change(
          contact,
          amountNode.asLong(),
          "Adjustment",
          description,
          source,
          program,
          locked,
          validFrom.value() == null ? locked : validFrom.value(),
          validTo.value());
    }
    Map<String, List<Object>> answer = new LinkedHashMap<>();
    answer.put("notAccepted", notAccepted);
    answer.put("errorMessages", errors);
    answer.put("missingDefinitionIds", missingDefinitions);
    answer.put("missingContactIds", missingContacts);
    return answer;
  }

  /** An optional date field of a row: absent ({@code value} null), valid, or not a date. */
  private record DateField(boolean valid, @Nullable Instant value) {}

  private DateField dateField(JsonNode row, String field) {
    JsonNode value = row.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return new DateField(true, null);
    }
    if (!value.isString()) {
      return new DateField(false, null);
    }
    Instant parsed = WireTime.parse(value.stringValue(), properties.timeZone()).orElse(null);
    return new DateField(parsed != null, parsed);
  }

  private String time(Instant instant) {
    return WireTime.format(instant, properties.timeZone());
  }

  private static long parseLong(String raw, String field) {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badField("InvalidId", field, "a whole number");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
