package org.stamkund.connector;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A local copy of the engine's contacts in SQLite, so lookups by key answer while the engine is
 * down (seed 004, case 3). {@link #sync()} first downloads every contact by paging the cursor
 * changes feed from its start, then follows the feed from the stored cursor; each page and its
 * cursor commit together, so a killed sync resumes where it stopped. Thread-safe.
 */
public final class ContactReplica implements AutoCloseable {

  private final Connection db;
  private final StamkundClient client;
  private final InstantSource clock;
  private final int pageSize;
  private final String defaultCallingCode;

  private static final String STATE = "replica_state";

  /** The feed's cursor and when the initial download completed. */
  private final SqliteState state;

  private ContactReplica(
      Connection db,
      StamkundClient client,
      InstantSource clock,
      int pageSize,
      String defaultCallingCode) {
    this.db = db;
    this.state = new SqliteState(db, STATE);
    this.client = client;
    this.clock = clock;
    this.pageSize = pageSize;
    this.defaultCallingCode = defaultCallingCode;
  }

  /**
   * Opens (creating if needed) the replica in {@code file}.
   *
   * @param client the view used to sync (its budget bounds each call)
   * @param pageSize changes read per feed page (1–10,000)
   * @param defaultCallingCode digits put in front of national phone numbers ({@code 46})
   */
  public static ContactReplica open(
      Path file,
      StamkundClient client,
      InstantSource clock,
      int pageSize,
      String defaultCallingCode) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(clock, "clock");
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("pageSize must be 1-10000: " + pageSize);
    }
    if (!defaultCallingCode.matches("\\d{1,4}")) {
      throw new IllegalArgumentException("defaultCallingCode must be 1-4 digits");
    }
    Connection db = Sqlite.open(file);
    try (Statement s = db.createStatement()) {
      s.execute(
          """
          create table if not exists replica_contacts (
            id text primary key,
            contact_type text,
            email text,
            mobile_phone text,
            member_number text,
            external_id text,
            json text not null,
            synced_at integer not null
          )""");
      s.execute("create index if not exists replica_email on replica_contacts (email)");
      s.execute("create index if not exists replica_phone on replica_contacts (mobile_phone)");
      s.execute("create index if not exists replica_member on replica_contacts (member_number)");
      s.execute("create index if not exists replica_external on replica_contacts (external_id)");
      new SqliteState(db, STATE).create();
    } catch (SQLException e) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // reporting the first failure
      }
      throw new StorageException("cannot create the replica tables", e);
    }
    return new ContactReplica(db, client, clock, pageSize, defaultCallingCode);
  }

  /**
   * What one {@link #sync()} did.
   *
   * @param pages feed pages read
   * @param upserted contacts stored or refreshed
   * @param deleted contacts removed
   * @param complete whether the replica caught up with the feed
   */
  public record SyncResult(int pages, int upserted, int deleted, boolean complete) {}

  /**
   * Reads the changes feed from the stored cursor until it has no more, storing each changed
   * contact (re-read from the engine) and removing deleted ones.
   *
   * @throws StamkundException when the engine fails; what was stored before stays
   */
  public SyncResult sync() {
    int pages = 0;
    int upserted = 0;
    int deleted = 0;
    while (true) {
      String cursor = cursor();
      ChangesPage page = client.changes(cursor, pageSize);
      pages++;
      // Re-read each contact once per page, after its last change in the page.
      Map<String, ChangesPage.Change> last = new LinkedHashMap<>();
      for (ChangesPage.Change c : page.changes()) {
        last.remove(c.contactId());
        last.put(c.contactId(), c);
      }
      Map<String, @Nullable Contact> fetched = new LinkedHashMap<>();
      for (ChangesPage.Change c : last.values()) {
        fetched.put(
            c.contactId(), c.isDeleted() ? null : client.contact(c.contactId()).orElse(null));
      }
      synchronized (this) {
        try {
          db.setAutoCommit(false);
          for (Map.Entry<String, @Nullable Contact> e : fetched.entrySet()) {
            Contact contact = e.getValue();
            if (contact == null) {
              deleted += deleteRow(e.getKey());
            } else {
              upsert(contact);
              upserted++;
            }
          }
          state.setTxt("cursor", page.next());
          if (!page.hasMore()) {
            state.setNum("complete_at", clock.millis());
          }
          db.commit();
        } catch (SQLException e) {
          rollback();
          throw new StorageException("cannot store a replica page", e);
        } finally {
          autoCommit();
        }
      }
      if (!page.hasMore()) {
        return new SyncResult(pages, upserted, deleted, true);
      }
    }
  }

  /**
   * Finds a contact by one of its keys. E-mail is matched without regard to case, phone numbers in
   * E.164 (national numbers get the default calling code).
   */
  public synchronized Optional<ReplicaHit> find(ContactKey key, String value) {
    String column;
    String v;
    switch (key) {
      case EMAIL -> {
        column = "email";
        v = value.strip().toLowerCase(Locale.ROOT);
      }
      case MOBILE_PHONE -> {
        column = "mobile_phone";
        v = normalizePhone(value, defaultCallingCode);
      }
      case CUSTOM_KEY -> {
        return findBy("member_number", value.strip())
            .or(() -> findBy("external_id", value.strip()));
      }
      case ANY -> {
        return find(ContactKey.EMAIL, value)
            .or(() -> find(ContactKey.MOBILE_PHONE, value))
            .or(() -> find(ContactKey.CUSTOM_KEY, value));
      }
      case SOCIAL_SECURITY_NUMBER -> {
        // Personal identity numbers are not copied locally (the engine keeps them encrypted).
        return Optional.empty();
      }
      default -> throw new AssertionError(key);
    }
    return findBy(column, v);
  }

  /** Finds a contact by id. */
  public synchronized Optional<ReplicaHit> byId(String contactId) {
    return findBy("id", contactId);
  }

  /** Finds a contact by member number. */
  public synchronized Optional<ReplicaHit> byMemberNumber(String memberNumber) {
    return findBy("member_number", memberNumber.strip());
  }

  /** Time since the last complete sync, or null before the initial download finished. */
  public synchronized @Nullable Duration age() {
    try {
      Long at = state.num("complete_at");
      return at == null ? null : Duration.between(Instant.ofEpochMilli(at), clock.instant());
    } catch (SQLException e) {
      throw new StorageException("cannot read the replica state", e);
    }
  }

  /** How many contacts the replica holds. */
  public synchronized long size() {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from replica_contacts")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("cannot read the replica", e);
    }
  }

  /** The stored feed cursor, or null before the first page. */
  public synchronized @Nullable String cursor() {
    try {
      return state.txt("cursor");
    } catch (SQLException e) {
      throw new StorageException("cannot read the replica state", e);
    }
  }

  private Optional<ReplicaHit> findBy(String column, String value) {
    try (PreparedStatement ps =
        db.prepareStatement(
            "select json from replica_contacts where " + column + " = ? order by id limit 1")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Contact c = Contact.of(Json.parse(rs.getString(1)));
        return Optional.of(new ReplicaHit(c, age()));
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read the replica", e);
    }
  }

  private void upsert(Contact c) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement(
            """
            insert into replica_contacts
              (id, contact_type, email, mobile_phone, member_number, external_id, json, synced_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update set contact_type = excluded.contact_type,
              email = excluded.email, mobile_phone = excluded.mobile_phone,
              member_number = excluded.member_number, external_id = excluded.external_id,
              json = excluded.json, synced_at = excluded.synced_at""")) {
      String email = c.email();
      ps.setString(1, c.id());
      ps.setString(2, c.contactType());
      ps.setString(3, email == null ? null : email.strip().toLowerCase(Locale.ROOT));
      ps.setString(4, c.mobilePhone());
      ps.setString(5, c.memberNumber());
      ps.setString(6, c.externalId());
      ps.setString(7, Json.write(c.json()));
      ps.setLong(8, clock.millis());
      ps.executeUpdate();
    }
  }

  private int deleteRow(String id) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("delete from replica_contacts where id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate();
    }
  }

  /** E.164 from what a shopper types: spaces and dashes go, 00 and national 0 are expanded. */
  static String normalizePhone(String raw, String callingCode) {
    String digits = raw.strip().replaceAll("[\\s\\-().]", "");
    if (digits.startsWith("+")) {
      return digits;
    }
    if (digits.startsWith("00")) {
      return "+" + digits.substring(2);
    }
    if (digits.startsWith("0")) {
      return "+" + callingCode + digits.substring(1);
    }
    return "+" + digits;
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the caller needs to see
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the next statement reports a broken connection
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing: nothing left to protect
    }
  }
}
