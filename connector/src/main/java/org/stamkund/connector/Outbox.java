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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A durable buffer of calls the engine could not take in time, in one SQLite file (WAL, synchronous
 * FULL, so an entry is on disk when {@link #enqueue} returns and survives a killed process).
 *
 * <p>Entries are kept in queues by kind and leave each queue in the order they entered. A delivered
 * entry is deleted at once, with whatever personal data it carried; anything older than the
 * retention period is purged whether delivered or not (seed 004's GDPR note). Thread-safe.
 */
public final class Outbox implements AutoCloseable {

  /** The queue of receipts. */
  public static final String RECEIPTS = "receipts";

  /** The queue of contact writes (create, update, delete, enrolments). */
  public static final String CONTACTS = "contacts";

  /** The queue of other calls (orders, redemptions). */
  public static final String OTHER = "other";

  private final Connection db;
  private final InstantSource clock;
  private final Duration retention;
  private boolean checkpointDue;

  private static final String META = "outbox_meta";

  /** Counters and the last success and error. */
  private final SqliteState meta;

  private Outbox(Connection db, InstantSource clock, Duration retention) {
    this.db = db;
    this.meta = new SqliteState(db, META);
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * Opens (creating if needed) the outbox in {@code file}.
   *
   * @param retention how long any entry may stay; positive
   * @param clock wall-clock time for ages and retention
   */
  public static Outbox open(Path file, Duration retention, InstantSource clock) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(clock, "clock");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    Connection db = Sqlite.open(file);
    try (Statement s = db.createStatement()) {
      s.execute(
          """
          create table if not exists outbox (
            id integer primary key autoincrement,
            kind text not null,
            correlation_id text,
            operation text not null,
            method text not null,
            path text not null,
            query text not null,
            headers text not null,
            body text,
            personal integer not null,
            created_at integer not null,
            attempts integer not null default 0,
            max_attempts integer not null default 0,
            next_attempt_at integer not null default 0,
            state text not null default 'pending',
            last_error text
          )""");
      s.execute("create index if not exists outbox_queue on outbox (state, kind, id)");
      new SqliteState(db, META).create();
    } catch (SQLException e) {
      close(db);
      throw new StorageException("cannot create the outbox tables", e);
    }
    return new Outbox(db, clock, retention);
  }

  /**
   * Buffers {@code request} at the end of the {@code kind} queue; durable when this returns.
   *
   * @param correlationId the caller's reference, or null
   * @param personal whether the request carries personal data
   * @param maxAttempts attempts before the entry is given up as dead; 0 for no limit
   * @return the entry's id
   */
  public synchronized long enqueue(
      String kind,
      ApiRequest request,
      @Nullable String correlationId,
      boolean personal,
      int maxAttempts) {
    Objects.requireNonNull(kind, "kind");
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must not be negative: " + maxAttempts);
    }
    try (PreparedStatement ps =
        db.prepareStatement(
            """
            insert into outbox (kind, correlation_id, operation, method, path, query, headers, body,
              personal, created_at, max_attempts)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, kind);
      ps.setString(2, correlationId);
      ps.setString(3, request.operation());
      ps.setString(4, request.method());
      ps.setString(5, request.path());
      ps.setString(6, map(request.query()));
      ps.setString(7, map(request.headers()));
      ps.setString(8, request.body());
      ps.setInt(9, personal ? 1 : 0);
      ps.setLong(10, clock.millis());
      ps.setInt(11, maxAttempts);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new StorageException("cannot buffer a " + request.operation() + " call", e);
    }
  }

  /** Whether any entry of {@code kind} waits. */
  public synchronized boolean hasPending(String kind) {
    try (PreparedStatement ps =
        db.prepareStatement("select 1 from outbox where state = 'pending' and kind = ? limit 1")) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /**
   * The correlation ids of the entries of {@code kind} and {@code operation} that still wait (not
   * delivered, not dead): for example the vouchers whose reactivation is buffered.
   */
  public synchronized Set<String> pendingCorrelationIds(String kind, String operation) {
    Set<String> ids = new HashSet<>();
    try (PreparedStatement ps =
        db.prepareStatement(
            "select distinct correlation_id from outbox where state = 'pending' and kind = ?"
                + " and operation = ? and correlation_id is not null")) {
      ps.setString(1, kind);
      ps.setString(2, operation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /** The kinds that have waiting entries. */
  public synchronized List<String> pendingKinds() {
    List<String> kinds = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select distinct kind from outbox where state = 'pending' order by kind")) {
      while (rs.next()) {
        kinds.add(rs.getString(1));
      }
      return kinds;
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /** The first waiting entry of {@code kind} (the head of its queue), or null. */
  public synchronized @Nullable OutboxEntry head(String kind) {
    List<OutboxEntry> list = pending(kind, 1);
    return list.isEmpty() ? null : list.getFirst();
  }

  /** Whether the head of {@code kind} may be tried now (its backoff has passed). */
  public synchronized boolean headIsDue(String kind) {
    try (PreparedStatement ps =
        db.prepareStatement(
            "select next_attempt_at from outbox where state = 'pending' and kind = ?"
                + " order by id limit 1")) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) <= clock.millis();
      }
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /** Up to {@code limit} waiting entries of {@code kind}, oldest first. */
  public synchronized List<OutboxEntry> pending(String kind, int limit) {
    try (PreparedStatement ps =
        db.prepareStatement(
            """
            select id, kind, correlation_id, operation, method, path, query, headers, body, personal,
              created_at, attempts, max_attempts, last_error
            from outbox where state = 'pending' and kind = ? order by id limit ?""")) {
      ps.setString(1, kind);
      ps.setInt(2, limit);
      return entries(ps);
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /** Entries given up on, oldest first (for a manual fix). */
  public synchronized List<OutboxEntry> dead(int limit) {
    try (PreparedStatement ps =
        db.prepareStatement(
            """
            select id, kind, correlation_id, operation, method, path, query, headers, body, personal,
              created_at, attempts, max_attempts, last_error
            from outbox where state = 'dead' order by id limit ?""")) {
      ps.setInt(1, limit);
      return entries(ps);
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  /** The entry was delivered: it is deleted with its data. */
  public synchronized void delivered(long id) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement ps = db.prepareStatement("delete from outbox where id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      meta.bump("delivered_total", 1);
      meta.setNum("last_success_at", clock.millis());
      db.commit();
      checkpointDue = true;
    } catch (SQLException e) {
      rollback();
      throw new StorageException("cannot mark an outbox entry delivered", e);
    } finally {
      autoCommit();
    }
  }

  /**
   * An attempt failed in a way worth retrying; the entry stays at the head of its queue until
   * {@code retryIn} has passed.
   *
   * @param error operation and status only, never personal data
   */
  public synchronized void failed(long id, String error, Duration retryIn) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement ps =
          db.prepareStatement(
              "update outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
                  + " where id = ?")) {
        ps.setString(1, error);
        ps.setLong(2, clock.millis() + retryIn.toMillis());
        ps.setLong(3, id);
        ps.executeUpdate();
      }
      setError(error);
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new StorageException("cannot record an outbox failure", e);
    } finally {
      autoCommit();
    }
  }

  /**
   * The entry is given up on: kept as dead for a manual fix until retention ends; a personal entry
   * loses its body at once (the caller has had it in {@link OutboxListener#dead}).
   */
  public synchronized void dead(long id, String error) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement ps =
          db.prepareStatement(
              """
              update outbox set state = 'dead', attempts = attempts + 1, last_error = ?,
                body = case when personal = 1 then null else body end,
                path = case when personal = 1 then '/' else path end,
                query = case when personal = 1 then '{}' else query end
              where id = ?""")) {
        ps.setString(1, error);
        ps.setLong(2, id);
        ps.executeUpdate();
      }
      setError(error);
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new StorageException("cannot mark an outbox entry dead", e);
    } finally {
      autoCommit();
    }
  }

  /**
   * Purges every entry (waiting or dead) buffered longer ago than the retention period.
   *
   * @return how many were purged
   */
  public synchronized int purgeExpired() {
    int purged = purge();
    if (checkpointDue) {
      checkpointWhenEmpty();
    }
    return purged;
  }

  private int purge() {
    try {
      db.setAutoCommit(false);
      long cutoff = clock.millis() - retention.toMillis();
      int expired;
      try (PreparedStatement ps =
          db.prepareStatement("delete from outbox where created_at < ? and state = 'pending'")) {
        ps.setLong(1, cutoff);
        expired = ps.executeUpdate();
      }
      int dead;
      try (PreparedStatement ps =
          db.prepareStatement("delete from outbox where created_at < ? and state = 'dead'")) {
        ps.setLong(1, cutoff);
        dead = ps.executeUpdate();
      }
      meta.bump("expired_total", expired);
      db.commit();
      return expired + dead;
    } catch (SQLException e) {
      rollback();
      throw new StorageException("cannot purge the outbox", e);
    } finally {
      autoCommit();
    }
  }

  /**
   * Once the queue is empty, folds the write-ahead log into the file and truncates it, so the pages
   * of delivered (deleted) entries do not linger in the log either.
   */
  private void checkpointWhenEmpty() {
    try (Statement s = db.createStatement()) {
      try (ResultSet rs = s.executeQuery("select 1 from outbox where state = 'pending' limit 1")) {
        if (rs.next()) {
          return;
        }
      }
      try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        // First column: 1 when a reader kept the checkpoint from finishing.
        checkpointDue = !rs.next() || rs.getInt(1) != 0;
      }
    } catch (SQLException e) {
      // a reader holds the log; the next purge tries again
    }
  }

  /** Queue depth, oldest entry, last success and last error. */
  public synchronized OutboxStatus status() {
    try (Statement s = db.createStatement()) {
      Map<String, Long> byKind = new LinkedHashMap<>();
      long depth = 0;
      try (ResultSet rs =
          s.executeQuery(
              "select kind, count(*) from outbox where state = 'pending' group by kind"
                  + " order by kind")) {
        while (rs.next()) {
          byKind.put(rs.getString(1), rs.getLong(2));
          depth += rs.getLong(2);
        }
      }
      Instant oldest = null;
      try (ResultSet rs =
          s.executeQuery("select min(created_at) from outbox where state = 'pending'")) {
        if (rs.next()) {
          long v = rs.getLong(1);
          oldest = rs.wasNull() ? null : Instant.ofEpochMilli(v);
        }
      }
      long dead;
      try (ResultSet rs = s.executeQuery("select count(*) from outbox where state = 'dead'")) {
        rs.next();
        dead = rs.getLong(1);
      }
      Long lastSuccess = meta.num("last_success_at");
      Long lastErrorAt = meta.num("last_error_at");
      return new OutboxStatus(
          depth,
          byKind,
          oldest,
          oldest == null ? null : Duration.between(oldest, clock.instant()),
          dead,
          Objects.requireNonNullElse(meta.num("delivered_total"), 0L),
          Objects.requireNonNullElse(meta.num("expired_total"), 0L),
          lastSuccess == null ? null : Instant.ofEpochMilli(lastSuccess),
          lastErrorAt == null ? null : Instant.ofEpochMilli(lastErrorAt),
          meta.txt("last_error"));
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox status", e);
    }
  }

  /** Counts every row, waiting, dead or otherwise (tests of the purge). */
  synchronized long rows() {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from outbox")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("cannot read the outbox", e);
    }
  }

  @Override
  public synchronized void close() {
    close(db);
  }

  private List<OutboxEntry> entries(PreparedStatement ps) throws SQLException {
    List<OutboxEntry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ApiRequest request =
            new ApiRequest(
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                unmap(rs.getString(7)),
                unmap(rs.getString(8)),
                rs.getString(9));
        out.add(
            new OutboxEntry(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                request,
                rs.getInt(10) == 1,
                Instant.ofEpochMilli(rs.getLong(11)),
                rs.getInt(12),
                rs.getInt(13),
                rs.getString(14)));
      }
    }
    return out;
  }

  private void setError(String error) throws SQLException {
    meta.setNum("last_error_at", clock.millis());
    meta.setTxt("last_error", error);
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

  private static void close(Connection db) {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing: nothing left to protect
    }
  }

  private static String map(Map<String, String> map) {
    ObjectNode o = Json.object();
    map.forEach(o::put);
    return Json.write(o);
  }

  private static Map<String, String> unmap(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode node = Json.parse(json);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), e.getValue().asString());
    }
    return out;
  }
}
