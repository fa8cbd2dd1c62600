package org.stamkund.server.contacts;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.server.platform.CopyRows;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.PersonalDataCipher;
import org.stamkund.server.platform.Prelude;
import org.stamkund.server.platform.ReadCombiner;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.json.JsonMapper;

/** Contacts, their keys, consents and change records in PostgreSQL. */
@Component
class JdbcContacts {

  /** Standard attributes kept in their own text columns, by wire name. */
  static final Map<String, String> TEXT_COLUMNS =
      Map.ofEntries(
          Map.entry("firstName", "first_name"),
          Map.entry("lastName", "last_name"),
          Map.entry("email", "email"),
          Map.entry("mobilePhone", "mobile_phone"),
          Map.entry("externalId", "external_id"),
          Map.entry("street", "street"),
          Map.entry("zipCode", "zip_code"),
          Map.entry("city", "city"),
          Map.entry("careOf", "care_of"),
          Map.entry("country", "country"),
          Map.entry("countryCode", "country_code"),
          Map.entry("gender", "gender"),
          Map.entry("createdInStore", "created_in_store"),
          Map.entry("store", "store"));

  private static final List<String> TEXT_ATTRIBUTES = List.copyOf(TEXT_COLUMNS.keySet());
  static final String SSN = "socialSecurityNumber";
  static final String BIRTH_DAY = "birthDay";

  /**
   * The columns a contact is read from, named so that {@link #map} reads them by position: the
   * driver otherwise builds a map of the result's column names for every lookup.
   */
  private static final List<String> READ_COLUMNS = readColumns();

  private static final int ID = readColumn("id");
  private static final int TYPE = readColumn("contact_type_id");
  private static final int MEMBER_NUMBER = readColumn("member_number");
  private static final int APPROVED = readColumn("approved");
  private static final int FIRST_TEXT = APPROVED + 1;
  private static final int BIRTH_DAY_COLUMN = readColumn("birth_day");
  private static final int SSN_COLUMN = readColumn("ssn_ciphertext");
  private static final int CUSTOM = readColumn("custom");
  private static final int ACCEPTS_EMAIL = readColumn("accepts_email");
  private static final int ACCEPTS_SMS = readColumn("accepts_sms");
  private static final int ACCEPTS_POSTAL = readColumn("accepts_postal");
  private static final int SOURCE = readColumn("source");
  private static final int CREATED_AT = readColumn("created_at");
  private static final int UPDATED_AT = readColumn("updated_at");
  private static final int HAS_CONSENTS = READ_COLUMNS.size() + 1;

  /**
   * A contact, and whether it has consents. Its consents are read by a second statement, only for a
   * contact that has some (V15): most have none, and a consents subquery in this select cost every
   * lookup its executor's set-up even when it never ran (about a third of PostgreSQL's CPU for the
   * statement, docs/performance.md).
   */
  private static final String COLUMNS =
      String.join(", ", READ_COLUMNS.stream().map(column -> "c." + column).toList())
          + ", c.has_consents";

  private static final String SELECT = "select " + COLUMNS + " from contacts c";

  /** The key columns whose lookups are read in batches (see {@link #findByKey}). */
  private static final Set<String> BATCHED = Set.of("email", "mobile_phone", "external_id");

  /** How long a lookup waits for its turn to read before it is answered 503 ServiceBusy. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  /**
   * The most keys one batched lookup statement reads: at 64 clients 32 gave a lower p99 and less
   * PostgreSQL CPU a lookup than 16 (docs/performance.md, "Twentieth session").
   */
  static final int MAX_BATCH = 32;

  private static List<String> readColumns() {
    List<String> columns =
        new ArrayList<>(List.of("id", "contact_type_id", "member_number", "approved"));
    TEXT_ATTRIBUTES.forEach(a -> columns.add(TEXT_COLUMNS.get(a)));
    columns.addAll(
        List.of(
            "birth_day",
            "ssn_ciphertext",
            "custom",
            "accepts_email",
            "accepts_sms",
            "accepts_postal",
            "source",
            "created_at",
            "updated_at"));
    return List.copyOf(columns);
  }

  private static int readColumn(String column) {
    return READ_COLUMNS.indexOf(column) + 1;
  }

  private final JdbcClient jdbc;
  private final org.springframework.jdbc.core.JdbcTemplate template;
  private final PersonalDataCipher cipher;
  private final JsonMapper json;
  private final RowMapper<Read> mapper = this::map;
  private final ReadCombiner lookups;

  JdbcContacts(
      JdbcClient jdbc,
      org.springframework.jdbc.core.JdbcTemplate template,
      PersonalDataCipher cipher,
      JsonMapper json,
      StamkundProperties properties) {
    this.lookups = new ReadCombiner(properties.lookupConcurrency(), PATIENCE, MAX_BATCH);
    this.jdbc = jdbc;
    this.template = template;
    this.cipher = cipher;
    this.json = json;
  }

  Optional<StoredContact> find(UUID id) {
    return withConsents(jdbc.sql(SELECT + " where c.id = ?").param(id).query(mapper).optional());
  }

  Optional<StoredContact> findForUpdate(UUID id) {
    return withConsents(
        jdbc.sql(SELECT + " where c.id = ? for update of c").param(id).query(mapper).optional());
  }

  /**
   * A key attribute kept in the contact's own column. No key row holds it: the column's index on
   * (column, type) is unique among the contacts of types that have it as a key, told by its bit in
   * {@code key_columns} (V13). Lookups and receipts find contacts through the same index.
   */
  private record KeyColumn(String column, int bit) {}

  private static final Map<String, KeyColumn> KEY_COLUMNS =
      Map.of(
          "email", new KeyColumn("email", 1),
          "mobilePhone", new KeyColumn("mobile_phone", 2),
          "externalId", new KeyColumn("external_id", 4));

  /** Whether a key of this attribute is kept in the contact's column rather than a key row. */
  static boolean keptInColumn(String attribute) {
    return KEY_COLUMNS.containsKey(attribute);
  }

  /** The {@code key_columns} bits of a contact of this type: which of its columns are keys. */
  static short keyColumns(ContactType type) {
    int bits = 0;
    for (String attribute : type.keyAttributes()) {
      KeyColumn column = KEY_COLUMNS.get(attribute);
      bits |= column == null ? 0 : column.bit();
    }
    return (short) bits;
  }

  /**
   * The contact of a type with this key. Outside a transaction, concurrent lookups by the same key
   * column take turns ({@code stamkund.lookup-concurrency} at once) and whoever reads answers every
   * lookup then waiting with one statement ({@link ReadCombiner}); inside one, it reads alone, so
   * it sees the transaction's own writes.
   */
  Optional<StoredContact> findByKey(String contactTypeId, String attribute, String value) {
    KeyColumn column = KEY_COLUMNS.get(attribute);
    if (column != null) {
      List<Read> found =
          batched()
              ? lookups.read(
                  List.of("key", column.column(), contactTypeId),
                  value,
                  values -> readByKeys(column.column(), contactTypeId, values))
              : readByKeys(column.column(), contactTypeId, List.of(value)).get(value);
      if (found == null || found.isEmpty()) {
        return Optional.empty();
      }
      if (found.size() > 1) {
        throw new IncorrectResultSizeDataAccessException(1, found.size());
      }
      return Optional.of(withConsents(found.getFirst()));
    }
    return withConsents(
        jdbc.sql(
                SELECT
                    + """
                 join contact_keys k on k.contact_id = c.id
                 where k.contact_type_id = ? and k.attribute = ? and k.value = ?
                """)
            .params(contactTypeId, attribute, value)
            .query(mapper)
            .optional());
  }

  List<StoredContact> findByExternalId(String contactTypeId, String externalId) {
    return jdbc
        .sql(SELECT + " where c.contact_type_id = ? and c.external_id = ? limit 50")
        .params(contactTypeId, externalId)
        .query(mapper)
        .list()
        .stream()
        .map(this::withConsents)
        .toList();
  }

  /** A contact as its row reads, its consents not yet read when it has some. */
  record Read(StoredContact contact, boolean hasConsents) {}

  private Optional<StoredContact> withConsents(Optional<Read> read) {
    return read.map(this::withConsents);
  }

  /**
   * The contact with its consents, read by a statement of its own once the row's result is closed
   * (never while it is open, which would hold two of the pool's connections at once). Outside a
   * transaction the consents may be a moment newer than the row: consents are only ever added or
   * changed.
   */
  private StoredContact withConsents(Read read) {
    StoredContact contact = read.contact();
    if (!read.hasConsents()) {
      return contact;
    }
    List<StoredContact.Consent> consents =
        jdbc.sql(
                """
                select consent_id, value, date, source, comment from contact_consents
                where contact_id = ? order by consent_id
                """)
            .param(contact.id())
            .query(
                (rs, row) ->
                    new StoredContact.Consent(
                        rs.getString(1),
                        rs.getBoolean(2),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                        rs.getString(4),
                        rs.getString(5)))
            .list();
    return contact.withConsents(consents);
  }

  /**
   * Ids of contacts whose {@code column} equals {@code value}, optionally of one type; at most 50.
   */
  @SuppressWarnings("NullAway") // the id column is never null
  List<UUID> idsWhere(String column, Object value, @Nullable String contactTypeId) {
    if (value instanceof String text && BATCHED.contains(column) && batched()) {
      List<UUID> ids =
          lookups.read(
              Arrays.asList("ids", column, contactTypeId),
              text,
              values -> idsByKeys(column, contactTypeId, values));
      return ids == null ? List.of() : ids;
    }
    String sql =
        "select id from contacts where "
            + column
            + " = ?"
            + (contactTypeId == null ? "" : " and contact_type_id = ?")
            + " order by created_at limit 50";
    JdbcClient.StatementSpec spec = jdbc.sql(sql).param(value);
    if (contactTypeId != null) {
      spec = spec.param(contactTypeId);
    }
    return spec.query(UUID.class).list();
  }

  /**
   * Whether a lookup may be read with others: not inside a transaction, whose writes it must see.
   */
  private static boolean batched() {
    return !TransactionSynchronizationManager.isActualTransactionActive();
  }

  /**
   * The keys of a batched read as a {@code values} list of a fixed size, {@code (n, value)} per
   * row, and its parameters: the keys in order, then nulls, which match no row. A list of four,
   * eight or sixteen rows gives a batch read one of three statements whose plan PostgreSQL keeps
   * (an array of keys, {@code unnest(?)}, was planned anew for every call: two thirds of its time).
   */
  private static String keyRows(List<String> values, List<@Nullable Object> params) {
    int size = Math.max(4, Integer.highestOneBit(Math.max(1, values.size() - 1)) << 1);
    StringBuilder rows = new StringBuilder("(values ");
    for (int i = 0; i < size; i++) {
      rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", ?::text)");
      // Typed, as the keys are: a null of no type would have the driver prepare the statement anew.
      params.add(new SqlParameterValue(Types.VARCHAR, i < values.size() ? values.get(i) : null));
    }
    return rows.append(") as k(n, value)").toString();
  }

  /**
   * For each value, the contacts of a type whose key column holds it: at most two, to tell many.
   */
  Map<String, List<Read>> readByKeys(String column, String contactTypeId, List<String> values) {
    Map<String, List<Read>> found = new HashMap<>();
    int valueColumn = HAS_CONSENTS + 1;
    List<@Nullable Object> params = new ArrayList<>();
    String keys = keyRows(values, params);
    params.add(contactTypeId);
    jdbc.sql(
            "select "
                + COLUMNS
                + ", k.value from "
                + keys
                + " cross join lateral (select * from contacts x where x."
                + column
                + " = k.value and x.contact_type_id = ? limit 2) c")
        .params(params)
        .query(
            (RowCallbackHandler)
                rs ->
                    found
                        .computeIfAbsent(rs.getString(valueColumn), v -> new ArrayList<>(1))
                        .add(map(rs, 0)));
    return found;
  }

  /**
   * For each value, the ids of the contacts whose {@code column} holds it, optionally of one type:
   * at most 50 each, oldest first, as {@link #idsWhere} reads one.
   */
  Map<String, List<UUID>> idsByKeys(
      String column, @Nullable String contactTypeId, List<String> values) {
    Map<String, List<UUID>> found = new HashMap<>();
    List<@Nullable Object> params = new ArrayList<>();
    String keys = keyRows(values, params);
    if (contactTypeId != null) {
      params.add(contactTypeId);
    }
    jdbc.sql(
            "select k.value, x.id from "
                + keys
                + " cross join lateral (select id, created_at from contacts where "
                + column
                + " = k.value"
                + (contactTypeId == null ? "" : " and contact_type_id = ?")
                + " order by created_at limit 50) x order by k.n, x.created_at")
        .params(params)
        .query(
            (RowCallbackHandler)
                rs ->
                    found
                        .computeIfAbsent(rs.getString(1), v -> new ArrayList<>(1))
                        .add(rs.getObject(2, UUID.class)));
    return found;
  }

  /**
   * For each of {@code values}, the ids of the contacts of one type whose {@code column} holds it:
   * one statement for all of them.
   *
   * @param sqlType the column's type, for the array of values
   * @param before a statement run first, in the same round trip, when one is given
   */
  Map<String, List<UUID>> idsWhereAny(
      String column,
      String sqlType,
      Object[] values,
      String contactTypeId,
      @Nullable Prelude before) {
    Map<String, List<UUID>> found = new HashMap<>();
    String sql =
        "select "
            + column
            + "::text, id from contacts where "
            + column
            + " = any(?::"
            + sqlType
            + "[]) and contact_type_id = ?";
    RowCallbackHandler rows =
        rs ->
            found
                .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(rs.getObject(2, UUID.class));
    if (before == null) {
      jdbc.sql(sql).params(values, contactTypeId).query(rows);
    } else {
      before.thenQuery(template, sql, List.of(values, contactTypeId), rows);
    }
    return found;
  }

  /** Runs {@code prelude} by itself. */
  void runAlone(Prelude prelude) {
    prelude.run(template);
  }

  long count(@Nullable String contactTypeId) {
    return contactTypeId == null
        ? jdbc.sql("select count(*) from contacts where approved").query(Long.class).single()
        : jdbc.sql("select count(*) from contacts where approved and contact_type_id = ?")
            .param(contactTypeId)
            .query(Long.class)
            .single();
  }

  /**
   * The type's key attributes as committed, holding a share lock on the type for the rest of the
   * transaction so the keys cannot change under a write that relies on them.
   */
  List<String> lockTypeKeys(String contactTypeId) {
    return jdbc.sql("select key_attributes from contact_types where id = ? for key share")
        .param(contactTypeId)
        .query((rs, n) -> List.of((String[]) rs.getArray(1).getArray()))
        .optional()
        .orElse(List.of());
  }

  long nextMemberNumber() {
    return jdbc.sql("select nextval('member_number_seq')").query(Long.class).single();
  }

  private static final String INSERT_TARGET =
      "contacts (id, contact_type_id, member_number, approved, key_columns, "
          + String.join(", ", dataColumns())
          + ", source, created_at, updated_at)";

  private static final String INSERT =
      "insert into " + INSERT_TARGET + " values (" + "?, ".repeat(dataColumns().size() + 7) + "?)";

  /**
   * The SQL type of each of {@link #INSERT}'s parameters, so values bind without the driver or
   * Spring working them out per value (a fifth of a bulk import's server time did).
   */
  private static final int[] INSERT_TYPES = insertTypes();

  private static int[] insertTypes() {
    List<Integer> types = new ArrayList<>(List.of(Types.OTHER, Types.VARCHAR, Types.BIGINT));
    types.add(Types.BOOLEAN);
    types.add(Types.SMALLINT);
    TEXT_ATTRIBUTES.forEach(a -> types.add(Types.VARCHAR));
    types.addAll(List.of(Types.DATE, Types.BINARY, Types.BINARY, Types.OTHER));
    types.addAll(List.of(Types.BOOLEAN, Types.BOOLEAN, Types.BOOLEAN, Types.BOOLEAN));
    types.addAll(List.of(Types.VARCHAR, Types.TIMESTAMP, Types.TIMESTAMP));
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  void insert(StoredContact c, ContactType type) {
    template.update(INSERT, ps -> bindInsert(ps, insertValues(c, type)));
  }

  /**
   * Inserts many contacts of one type with one COPY (see {@link CopyRows}), ordered by their first
   * key kept in a column: concurrent imports sharing keys then wait for each other instead of
   * deadlocking. (Imports of a type with more key columns take turns: {@link #lockImportsOf}.)
   *
   * @throws org.springframework.dao.DuplicateKeyException when another contact holds a key
   */
  void insertAll(List<StoredContact> contacts, ContactType type) {
    List<StoredContact> ordered = contacts;
    String key =
        type.keyAttributes().stream().filter(JdbcContacts::keptInColumn).findFirst().orElse(null);
    if (key != null) {
      // Each contact's key read once, not at every comparison.
      record Keyed(String key, StoredContact contact) {}
      ordered =
          contacts.stream()
              .map(c -> new Keyed(String.valueOf(c.attributes().get(key)), c))
              .sorted(java.util.Comparator.comparing(Keyed::key))
              .map(Keyed::contact)
              .toList();
    }
    CopyRows rows = new CopyRows(INSERT_TARGET);
    for (StoredContact c : ordered) {
      insertValues(c, type).forEach(rows::value);
      rows.endRow();
    }
    rows.into(template);
  }

  private static void bindInsert(PreparedStatement ps, List<@Nullable Object> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      int at = i + 1;
      switch (value) {
        case null -> ps.setNull(at, INSERT_TYPES[i]);
        case String text -> ps.setString(at, text);
        case Long number -> ps.setLong(at, number);
        case Short number -> ps.setShort(at, number);
        case Boolean flag -> ps.setBoolean(at, flag);
        case Timestamp time -> ps.setTimestamp(at, time);
        case Date date -> ps.setDate(at, date);
        case byte[] bytes -> ps.setBytes(at, bytes);
        default -> ps.setObject(at, value);
      }
    }
  }

  private List<@Nullable Object> insertValues(StoredContact c, ContactType type) {
    List<@Nullable Object> values = new ArrayList<>(INSERT_TYPES.length);
    values.add(c.id());
    values.add(c.contactTypeId());
    values.add(c.memberNumber());
    values.add(c.approved());
    values.add(keyColumns(type));
    addColumnValues(c, values);
    values.add(c.source());
    values.add(Timestamp.from(c.createdAt()));
    values.add(Timestamp.from(c.updatedAt()));
    return values;
  }

  /** A key row: type, attribute, stored value, holder. */
  record KeyRow(String contactTypeId, String attribute, String value, UUID contactId) {

    static final java.util.Comparator<KeyRow> ORDER =
        java.util.Comparator.comparing(KeyRow::contactTypeId)
            .thenComparing(KeyRow::attribute)
            .thenComparing(KeyRow::value);

    /** The key itself, whoever holds it. */
    List<String> identity() {
      return List.of(contactTypeId, attribute, value);
    }
  }

  /**
   * Inserts the key rows of keys not kept in columns with one COPY, in the order given (sort them
   * by {@link KeyRow#ORDER} so that concurrent writers wait for each other instead of deadlocking).
   *
   * @throws org.springframework.dao.DuplicateKeyException when any of them is held already
   */
  void insertKeysAll(List<KeyRow> keys) {
    CopyRows rows = new CopyRows("contact_keys (contact_type_id, attribute, value, contact_id)");
    keys.stream()
        .filter(k -> !keptInColumn(k.attribute()))
        .forEach(
            k ->
                rows.text(k.contactTypeId())
                    .text(k.attribute())
                    .text(k.value())
                    .value(k.contactId())
                    .endRow());
    rows.into(template);
  }

  /** Which of these keys are already held, and by whom. */
  Map<KeyRow, UUID> heldKeys(List<KeyRow> keys) {
    Map<KeyRow, UUID> held = new java.util.HashMap<>();
    Map<List<String>, KeyRow> byIdentity = new java.util.HashMap<>();
    keys.forEach(k -> byIdentity.put(k.identity(), k));
    RowMapper<@Nullable KeyRow> holder =
        (rs, n) -> {
          KeyRow row = byIdentity.get(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
          if (row != null) {
            held.put(row, rs.getObject(4, UUID.class));
          }
          return row;
        };
    Map<List<String>, List<KeyRow>> inColumns = new LinkedHashMap<>();
    List<KeyRow> inRows = new ArrayList<>();
    for (KeyRow k : keys) {
      if (keptInColumn(k.attribute())) {
        inColumns
            .computeIfAbsent(List.of(k.contactTypeId(), k.attribute()), x -> new ArrayList<>())
            .add(k);
      } else {
        inRows.add(k);
      }
    }
    inColumns.forEach(
        (typeAndAttribute, ofColumn) -> {
          String attribute = typeAndAttribute.get(1);
          String column = java.util.Objects.requireNonNull(KEY_COLUMNS.get(attribute)).column();
          jdbc.sql(
                  "select contact_type_id, ?, "
                      + column
                      + ", id from contacts where "
                      + column
                      + " = any(?::text[]) and contact_type_id = ?")
              .params(
                  attribute,
                  ofColumn.stream().map(KeyRow::value).toArray(String[]::new),
                  typeAndAttribute.get(0))
              .query(holder)
              .list();
        });
    if (!inRows.isEmpty()) {
      jdbc.sql(
              """
              select k.contact_type_id, k.attribute, k.value, k.contact_id
              from contact_keys k
              join unnest(?::text[], ?::text[], ?::text[]) as q(t, a, v)
                on k.contact_type_id = q.t and k.attribute = q.a and k.value = q.v
              """)
          .params(
              inRows.stream().map(KeyRow::contactTypeId).toArray(String[]::new),
              inRows.stream().map(KeyRow::attribute).toArray(String[]::new),
              inRows.stream().map(KeyRow::value).toArray(String[]::new))
          .query(holder)
          .list();
    }
    return held;
  }

  /** Makes concurrent bulk imports of one contact type take turns, until the transaction ends. */
  void lockImportsOf(String contactTypeId) {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended('bulk import ' || ?, 0))")
        .param(contactTypeId)
        .query((rs, n) -> 1)
        .list();
  }

  /** Draws {@code n} member numbers in one round trip. */
  @SuppressWarnings("NullAway") // nextval is never null
  List<Long> nextMemberNumbers(int n) {
    if (n == 0) {
      return List.of();
    }
    return jdbc.sql("select nextval('member_number_seq') from generate_series(1, ?)")
        .param(n)
        .query(Long.class)
        .list();
  }

  /** Records the same change of many contacts with one COPY, in the order given. */
  void recordChanges(List<UUID> contactIds, String changeType, Instant at) {
    CopyRows rows = new CopyRows("contact_changes (contact_id, change_type, changed_at)");
    for (UUID id : contactIds) {
      rows.value(id).text(changeType).value(at).endRow();
    }
    rows.into(template);
  }

  void update(StoredContact c, ContactType type) {
    List<@Nullable Object> values = new ArrayList<>();
    values.add(c.contactTypeId());
    values.add(c.memberNumber());
    values.add(c.approved());
    values.add(keyColumns(type));
    values.addAll(columnValues(c));
    values.add(Timestamp.from(c.updatedAt()));
    values.add(c.id());
    jdbc.sql(
            "update contacts set contact_type_id = ?, member_number = ?, approved = ?, key_columns = ?, "
                + String.join(" = ?, ", dataColumns())
                + " = ?, updated_at = ? where id = ?")
        .params(values)
        .update();
  }

  /** Deletes a contact and its key rows (which have no foreign key: see V11). */
  boolean delete(UUID id) {
    deleteKeys(id);
    return jdbc.sql("delete from contacts where id = ?").param(id).update() > 0;
  }

  /** The key rows a contact of {@code type} with these attributes occupies. */
  Map<String, String> keysOf(ContactType type, Map<String, @Nullable Object> attributes) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String attribute : type.keyAttributes()) {
      Object value = attributes.get(attribute);
      if (value != null) {
        keys.put(attribute, keyValue(attribute, value.toString()));
      }
    }
    return keys;
  }

  /** The stored form of a key value: the blind index for personal identity numbers. */
  String keyValue(String attribute, String normalised) {
    return attribute.equals(SSN)
        ? HexFormat.of().formatHex(cipher.blindIndex(normalised))
        : normalised;
  }

  byte[] blindIndex(String normalisedSsn) {
    return cipher.blindIndex(normalisedSsn);
  }

  /**
   * Inserts key rows in the one order every writer uses, so writers wait instead of deadlocking.
   */
  void insertKeys(String contactTypeId, UUID contactId, Map<String, String> keys) {
    new java.util.TreeMap<>(keys)
        .entrySet().stream()
            .filter(k -> !keptInColumn(k.getKey()))
            .forEach(k -> insertKey(contactTypeId, contactId, k.getKey(), k.getValue()));
  }

  private void insertKey(String contactTypeId, UUID contactId, String attribute, String value) {
    jdbc.sql(
            "insert into contact_keys (contact_type_id, attribute, value, contact_id)"
                + " values (?, ?, ?, ?)")
        .params(contactTypeId, attribute, value, contactId)
        .update();
  }

  void deleteKeys(UUID contactId) {
    jdbc.sql("delete from contact_keys where contact_id = ?").param(contactId).update();
  }

  /** The contact holding a key, if any. */
  Optional<UUID> keyHolder(String contactTypeId, String attribute, String value) {
    KeyColumn column = KEY_COLUMNS.get(attribute);
    if (column != null) {
      return jdbc.sql(
              "select id from contacts where "
                  + column.column()
                  + " = ? and contact_type_id = ? limit 1")
          .params(value, contactTypeId)
          .query(UUID.class)
          .optional();
    }
    return jdbc.sql(
            "select contact_id from contact_keys"
                + " where contact_type_id = ? and attribute = ? and value = ?")
        .params(contactTypeId, attribute, value)
        .query(UUID.class)
        .optional();
  }

  void upsertConsent(UUID contactId, StoredContact.Consent consent) {
    jdbc.sql(
            """
            insert into contact_consents (contact_id, consent_id, value, date, source, comment)
            values (?, ?, ?, ?, ?, ?)
            on conflict (contact_id, consent_id) do update
              set value = excluded.value, date = excluded.date,
                  source = excluded.source, comment = excluded.comment
            """)
        .params(
            java.util.Arrays.asList(
                contactId,
                consent.id(),
                consent.value(),
                Timestamp.from(consent.date()),
                consent.source(),
                consent.comment()))
        .update();
  }

  void recordChange(UUID contactId, String changeType, Instant at) {
    jdbc.sql("insert into contact_changes (contact_id, change_type, changed_at) values (?, ?, ?)")
        .params(contactId, changeType, Timestamp.from(at))
        .update();
  }

  /** The data columns in the order {@link #columnValues} gives their values. */
  static List<String> dataColumns() {
    List<String> columns = new ArrayList<>();
    TEXT_ATTRIBUTES.forEach(a -> columns.add(TEXT_COLUMNS.get(a)));
    columns.add("birth_day");
    columns.add("ssn_ciphertext");
    columns.add("ssn_index");
    columns.add("custom");
    columns.add("accepts_email");
    columns.add("accepts_sms");
    columns.add("accepts_postal");
    columns.add("has_consents");
    return columns;
  }

  List<@Nullable Object> columnValues(StoredContact c) {
    List<@Nullable Object> values = new ArrayList<>(dataColumns().size());
    addColumnValues(c, values);
    return values;
  }

  private void addColumnValues(StoredContact c, List<@Nullable Object> values) {
    Map<String, @Nullable Object> a = c.attributes();
    for (String name : TEXT_ATTRIBUTES) {
      values.add(a.get(name));
    }
    Object birthDay = a.get(BIRTH_DAY);
    values.add(birthDay instanceof LocalDate d ? Date.valueOf(d) : null);
    Object ssn = a.get(SSN);
    values.add(ssn == null ? null : cipher.encrypt(ssn.toString()));
    values.add(ssn == null ? null : cipher.blindIndex(ssn.toString()));
    Map<String, @Nullable Object> custom = null;
    for (Map.Entry<String, @Nullable Object> field : a.entrySet()) {
      Object value = field.getValue();
      if (value != null && !isStandard(field.getKey())) {
        if (custom == null) {
          custom = new LinkedHashMap<>();
        }
        custom.put(field.getKey(), value instanceof LocalDate d ? d.toString() : value);
      }
    }
    values.add(jsonb(custom == null ? "{}" : json.writeValueAsString(custom)));
    values.add(c.preferences().acceptsEmail());
    values.add(c.preferences().acceptsSms());
    values.add(c.preferences().acceptsPostal());
    values.add(!c.consents().isEmpty());
  }

  static boolean isStandard(String name) {
    return TEXT_COLUMNS.containsKey(name) || name.equals(SSN) || name.equals(BIRTH_DAY);
  }

  private static org.postgresql.util.PGobject jsonb(String text) {
    org.postgresql.util.PGobject object = new org.postgresql.util.PGobject();
    object.setType("jsonb");
    try {
      object.setValue(text);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return object;
  }

  private Read map(ResultSet rs, int row) throws SQLException {
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < TEXT_ATTRIBUTES.size(); i++) {
      attributes.put(TEXT_ATTRIBUTES.get(i), rs.getString(FIRST_TEXT + i));
    }
    attributes.put(BIRTH_DAY, rs.getObject(BIRTH_DAY_COLUMN, LocalDate.class));
    byte[] ssn = rs.getBytes(SSN_COLUMN);
    attributes.put(SSN, ssn == null ? null : cipher.decrypt(ssn));
    String custom = rs.getString(CUSTOM);
    if (!custom.equals("{}")) {
      JsonBodies.fields(json.readTree(custom)).forEach(attributes::put);
    }
    long memberNumber = rs.getLong(MEMBER_NUMBER);
    Long member = rs.wasNull() ? null : memberNumber;
    StoredContact contact =
        new StoredContact(
            rs.getObject(ID, UUID.class),
            rs.getString(TYPE),
            member,
            rs.getBoolean(APPROVED),
            attributes,
            new StoredContact.Preferences(
                rs.getBoolean(ACCEPTS_EMAIL),
                rs.getBoolean(ACCEPTS_SMS),
                rs.getBoolean(ACCEPTS_POSTAL)),
            List.of(),
            rs.getString(SOURCE),
            rs.getObject(CREATED_AT, java.time.OffsetDateTime.class).toInstant(),
            rs.getObject(UPDATED_AT, java.time.OffsetDateTime.class).toInstant());
    return new Read(contact, rs.getBoolean(HAS_CONSENTS));
  }
}
