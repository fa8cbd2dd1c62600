package org.stamkund.server.contacts;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.FlatJson;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.TableStatistics;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk create and update of up to {@link #MAX_ROWS} contacts a call. Every row gets its own
 * outcome; a bad row never sinks the others. Creates are validated first and then inserted as one
 * batch; updates go row by row through the same path as a single update.
 */
@Service
class BulkImport {

  static final int MAX_ROWS = 4_000;
  // Only contacts: e-mail, phone and external id keys have no key rows (V13), so the key table
  // of a usual import stays empty and would be analyzed again after every batch.
  private static final List<String> IMPORTED_TABLES = List.of("contacts");
  private static final int RACE_RETRIES = 3;

  private final ContactManagement management;
  private final ContactTypeCatalog types;
  private final ContactLookup lookup;
  private final JdbcContacts contacts;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final TransactionTemplate savepoints;
  private final IdGenerator ids;
  private final JsonMapper json;
  private final StamkundProperties properties;
  private final Clock clock;
  private final org.springframework.context.ApplicationEventPublisher events;
  private final TableStatistics statistics;

  BulkImport(
      ContactManagement management,
      ContactTypeCatalog types,
      ContactLookup lookup,
      JdbcContacts contacts,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      IdGenerator ids,
      JsonMapper json,
      StamkundProperties properties,
      Clock clock,
      org.springframework.context.ApplicationEventPublisher events,
      TableStatistics statistics) {
    this.events = events;
    this.statistics = statistics;
    this.management = management;
    this.types = types;
    this.lookup = lookup;
    this.contacts = contacts;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.savepoints =
        new TransactionTemplate(
            java.util.Objects.requireNonNull(transactions.getTransactionManager()));
    this.savepoints.setPropagationBehavior(
        org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
    this.ids = ids;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
  }

  /** The outcome of one row. */
  record RowOutcome(
      int index,
      String status,
      @Nullable UUID contactId,
      @Nullable String errorCode,
      @Nullable String field,
      @Nullable String message) {

    static RowOutcome failed(int index, Violation v) {
      return new RowOutcome(index, "Failed", null, v.errorCode(), v.field(), v.message());
    }
  }

  /** A finished batch, as {@code GET /api/v2/contacts/bulk/status} shows it. */
  record BatchStatus(
      UUID batchId,
      String status,
      String operation,
      String contactType,
      int total,
      int succeeded,
      int failed,
      Instant createdOn,
      @Nullable Instant completedOn,
      List<RowOutcome> rows) {}

  UUID create(@Nullable JsonNode body, @Nullable String contactType) {
    List<JsonNode> rows = rows(body);
    ContactType type =
        types.require(contactType == null ? ContactType.MEMBER : contactType, "contactType");
    Instant started = clock.instant();
    RowOutcome[] outcomes = new RowOutcome[rows.size()];
    Map<Integer, ContactManagement.NewContact> prepared = new LinkedHashMap<>();
    Map<List<String>, Integer> claimed = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      try {
        ContactManagement.NewContact row =
            management.prepare(
                ContactPayload.parse(rows.get(i), properties.timeZone()),
                type.id(),
                new ContactManagement.Origin("bulk", null, false));
        // Claims the row's keys; the first key another row claimed already fails the row, and
        // the keys it claimed are given back.
        List<JdbcContacts.KeyRow> keys = keyRows(row);
        JdbcContacts.KeyRow duplicate = null;
        Integer holder = null;
        for (JdbcContacts.KeyRow k : keys) {
          holder = claimed.putIfAbsent(k.identity(), i);
          if (holder != null) {
            duplicate = k;
            break;
          }
        }
        if (duplicate != null) {
          for (JdbcContacts.KeyRow k : keys) {
            claimed.remove(k.identity(), i);
          }
          outcomes[i] =
              RowOutcome.failed(
                  i,
                  new Violation(
                      duplicate.attribute(),
                      "DuplicateKeyInBatch",
                      "row " + holder + " of this batch has the same key"));
          continue;
        }
        prepared.put(i, row);
      } catch (InvalidInputException e) {
        outcomes[i] = RowOutcome.failed(i, e.violations().getFirst());
      } catch (ApiException e) {
        outcomes[i] = RowOutcome.failed(i, violation(e));
      }
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Map<Integer, RowOutcome> inserted = transactions.execute(tx -> insertBatch(type, prepared));
        inserted.forEach((i, outcome) -> outcomes[i] = outcome);
        break;
      } catch (DuplicateKeyException | PessimisticLockingFailureException race) {
        // Another writer took a key between the check and the insert: check again.
        if (attempt == RACE_RETRIES) {
          throw race;
        }
      }
    }
    return record("Create", type.id(), List.of(outcomes), started);
  }

  /** A key of the batch turned out to be held already: the optimistic insert is undone. */
  private static final class KeyTaken extends RuntimeException {
    KeyTaken() {
      super(null, null, false, false);
    }
  }

  /**
   * Inserts a batch's new contacts. Most batches hold only new keys, so all of them are inserted at
   * once, the key index probed once per key; only when a key was taken already is that undone and
   * every key checked first, so each row gets its own outcome.
   */
  private Map<Integer, RowOutcome> insertBatch(
      ContactType type, Map<Integer, ContactManagement.NewContact> prepared) {
    if (!prepared.isEmpty()) {
      // As a single create does: the keys written are the type's keys committed now.
      management.requireCurrentKeys(type);
      if (type.keyAttributes().stream().filter(JdbcContacts::keptInColumn).count() > 1) {
        // Contacts are copied in the order of one key column; with two, concurrent imports of
        // the type could wait for each other in opposite orders. They take turns instead.
        contacts.lockImportsOf(type.id());
      }
    }
    try {
      Map<Integer, RowOutcome> inserted =
          savepoints.execute(tx -> insertAccepted(type, prepared, new HashMap<>(), true));
      if (inserted != null) {
        return inserted;
      }
    } catch (KeyTaken taken) {
      // rolled back to the savepoint: check the keys first
    }
    Map<Integer, RowOutcome> outcomes = new HashMap<>();
    List<JdbcContacts.KeyRow> allKeys =
        prepared.values().stream().flatMap(p -> keyRows(p).stream()).toList();
    Map<JdbcContacts.KeyRow, UUID> held = contacts.heldKeys(allKeys);
    Map<Integer, ContactManagement.NewContact> accepted = new LinkedHashMap<>();
    for (Map.Entry<Integer, ContactManagement.NewContact> e : prepared.entrySet()) {
      Optional<JdbcContacts.KeyRow> taken =
          keyRows(e.getValue()).stream().filter(held::containsKey).findFirst();
      if (taken.isPresent()) {
        outcomes.put(
            e.getKey(),
            new RowOutcome(
                e.getKey(),
                "Failed",
                null,
                "ApprovedContactWithKeyExists",
                taken.get().attribute(),
                "a contact with this "
                    + taken.get().attribute()
                    + " already exists: "
                    + held.get(taken.get())));
      } else {
        accepted.put(e.getKey(), e.getValue());
      }
    }
    return insertAccepted(type, accepted, outcomes, false);
  }

  /**
   * Inserts contacts whose keys were checked, or (when {@code unchecked}) whose keys are inserted
   * only if none is taken, else {@link KeyTaken} is thrown before anything is announced.
   */
  private Map<Integer, RowOutcome> insertAccepted(
      ContactType type,
      Map<Integer, ContactManagement.NewContact> accepted,
      Map<Integer, RowOutcome> outcomes,
      boolean unchecked) {
    long members = accepted.values().stream().filter(p -> p.type().isMember()).count();
    java.util.Iterator<Long> numbers = contacts.nextMemberNumbers((int) members).iterator();
    List<StoredContact> rows = new ArrayList<>();
    List<JdbcContacts.KeyRow> keys = new ArrayList<>();
    for (Map.Entry<Integer, ContactManagement.NewContact> entry : accepted.entrySet()) {
      int i = entry.getKey();
      ContactManagement.NewContact p = entry.getValue();
      StoredContact c = p.contact();
      StoredContact withNumber =
          new StoredContact(
              c.id(),
              c.contactTypeId(),
              p.type().isMember() ? numbers.next() : null,
              c.approved(),
              c.attributes(),
              c.preferences(),
              c.consents(),
              c.source(),
              c.createdAt(),
              c.updatedAt());
      rows.add(withNumber);
      keys.addAll(keyRows(p));
      outcomes.put(i, new RowOutcome(i, "Created", c.id(), null, null, null));
    }
    // One lock order for every batch, so concurrent batches sharing keys wait instead of
    // deadlocking.
    keys.sort(JdbcContacts.KeyRow.ORDER);
    try {
      contacts.insertAll(rows, type);
      contacts.insertKeysAll(keys);
    } catch (DuplicateKeyException taken) {
      if (unchecked) {
        throw new KeyTaken();
      }
      throw taken;
    }
    for (StoredContact c : rows) {
      c.consents().forEach(consent -> contacts.upsertConsent(c.id(), consent));
    }
    contacts.recordChanges(
        rows.stream().map(StoredContact::id).toList(), "Created", clock.instant());
    ContactEvents.createdAll(events, rows);
    events.publishEvent(
        new ContactsRegistered(
            rows.stream()
                .map(
                    c ->
                        new ContactsRegistered.Registered(
                            c.id(),
                            c.contactTypeId(),
                            ContactKeys.matchKeysOf(contacts, lookup, c)))
                .toList()));
    return outcomes;
  }

  UUID update(@Nullable JsonNode body, @Nullable String contactType) {
    List<JsonNode> rows = rows(body);
    ContactType type =
        types.require(contactType == null ? ContactType.MEMBER : contactType, "contactType");
    Instant started = clock.instant();
    List<RowOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      try {
        ContactPayload payload = ContactPayload.parse(rows.get(i), properties.timeZone());
        UUID id = findByAnyKey(type, payload);
        management.update(id, payload);
        outcomes.add(new RowOutcome(i, "Updated", id, null, null, null));
      } catch (InvalidInputException e) {
        outcomes.add(RowOutcome.failed(i, e.violations().getFirst()));
      } catch (ApiException e) {
        outcomes.add(RowOutcome.failed(i, violation(e)));
      } catch (RuntimeException e) {
        // Each row commits alone: a fault in one row must not lose the outcomes of the others.
        outcomes.add(
            RowOutcome.failed(
                i, new Violation("body", "RowFailed", "the row could not be applied; retry it")));
      }
    }
    return record("Update", type.id(), outcomes, started);
  }

  /** The contact a bulk-update row is about, by the first key of its type the row carries. */
  private UUID findByAnyKey(ContactType type, ContactPayload payload) {
    for (String attribute : type.keyAttributes()) {
      for (Map.Entry<String, @Nullable Object> field : payload.attributes().entrySet()) {
        if (field.getKey().equalsIgnoreCase(attribute) && field.getValue() instanceof String raw) {
          return lookup.keyCandidates(attribute, raw, attribute).stream()
              .map(value -> contacts.findByKey(type.id(), attribute, value))
              .flatMap(Optional::stream)
              .findFirst()
              .map(StoredContact::id)
              .orElseThrow(
                  () ->
                      ApiException.notFound(
                          "ContactNotFound", "no " + type.id() + " with that " + attribute));
        }
      }
    }
    throw ApiException.badField(
        "ContactKeyMissing",
        type.keyAttributes().getFirst(),
        "a bulk update row needs its key: " + String.join(" or ", type.keyAttributes()));
  }

  Optional<BatchStatus> status(UUID batchId) {
    return jdbc.sql(
            """
            select id, status, operation, contact_type_id, total, succeeded, failed, rows,
                   created_at, completed_at
            from bulk_batches where id = ?
            """)
        .param(batchId)
        .query(
            (rs, n) ->
                new BatchStatus(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getInt(6),
                    rs.getInt(7),
                    rs.getTimestamp(9).toInstant(),
                    rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant(),
                    json.readValue(rs.getString(8), new TypeReference<List<RowOutcome>>() {})))
        .optional();
  }

  /**
   * The outcomes as kept: without their empty fields, which {@link #status} reads back as nulls. A
   * batch of 4,000 created contacts is then a third shorter to store, and its text stays below the
   * size the garbage collector allocates apart.
   */
  static String stored(List<RowOutcome> outcomes) {
    StringBuilder out = new StringBuilder(2 + outcomes.size() * 72).append('[');
    Map<String, @Nullable Object> fields = new LinkedHashMap<>();
    for (RowOutcome o : outcomes) {
      if (out.length() > 1) {
        out.append(',');
      }
      fields.clear();
      fields.put("index", o.index());
      fields.put("status", o.status());
      putPresent(fields, "contactId", o.contactId() == null ? null : o.contactId().toString());
      putPresent(fields, "errorCode", o.errorCode());
      putPresent(fields, "field", o.field());
      putPresent(fields, "message", o.message());
      if (!FlatJson.append(out, fields)) {
        throw new IllegalStateException("an outcome's fields are text and numbers");
      }
    }
    return out.append(']').toString();
  }

  private static void putPresent(
      Map<String, @Nullable Object> fields, String name, @Nullable String value) {
    if (value != null) {
      fields.put(name, value);
    }
  }

  private UUID record(String operation, String type, List<RowOutcome> outcomes, Instant started) {
    UUID id = ids.next();
    int succeeded = (int) outcomes.stream().filter(o -> !o.status().equals("Failed")).count();
    jdbc.sql(
            """
            insert into bulk_batches (id, operation, contact_type_id, status, total, succeeded,
                                      failed, rows, created_at, completed_at)
            values (?, ?, ?, 'Completed', ?, ?, ?, ?, ?, ?)
            """)
        .params(
            id,
            operation,
            type,
            outcomes.size(),
            succeeded,
            outcomes.size() - succeeded,
            stored(outcomes),
            Timestamp.from(started),
            Timestamp.from(clock.instant()))
        .update();
    // A first import into an empty database is followed at once by lookups of what it wrote.
    statistics.ensure(IMPORTED_TABLES);
    return id;
  }

  private List<JdbcContacts.KeyRow> keyRows(ContactManagement.NewContact p) {
    List<JdbcContacts.KeyRow> rows = new ArrayList<>(p.keys().size());
    p.keys()
        .forEach(
            (attribute, value) ->
                rows.add(
                    new JdbcContacts.KeyRow(p.type().id(), attribute, value, p.contact().id())));
    return rows;
  }

  private static List<JsonNode> rows(@Nullable JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw ApiException.badField("NoData", "body", "send a JSON array of contacts");
    }
    if (!body.isArray()) {
      throw ApiException.badField("InvalidJson", "body", "expected a JSON array of contacts");
    }
    if (body.isEmpty()) {
      throw ApiException.badField("NoData", "body", "the array is empty");
    }
    if (body.size() > MAX_ROWS) {
      throw ApiException.badField(
          "TooManyContacts",
          "body",
          "at most " + MAX_ROWS + " contacts a call, got " + body.size());
    }
    List<JsonNode> rows = new ArrayList<>(body.size());
    body.forEach(rows::add);
    return rows;
  }

  private static Violation violation(ApiException e) {
    Object field = e.details().get("field");
    return new Violation(
        field == null ? "body" : field.toString(), e.errorCode(), String.valueOf(e.getMessage()));
  }
}
