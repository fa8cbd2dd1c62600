package org.stamkund.connector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A small name/value table in a connector file ({@code name text primary key, num integer, txt
 * text}): cursors, counters, times of the last success and error. Runs in the connection's current
 * transaction.
 */
final class SqliteState {

  private final Connection db;
  private final String table;

  /**
   * @param table a table name of the connector's own schema, never input
   */
  SqliteState(Connection db, String table) {
    if (!table.matches("^[a-z_]+$")) {
      throw new IllegalArgumentException("not a table name: " + table);
    }
    this.db = db;
    this.table = table;
  }

  /** Creates the table if the file does not have it yet. */
  void create() throws SQLException {
    try (var s = db.createStatement()) {
      s.execute(
          "create table if not exists "
              + table
              + " (name text primary key, num integer, txt text)");
    }
  }

  void setTxt(String name, String value) throws SQLException {
    write(
        "insert into "
            + table
            + " (name, txt) values (?, ?)"
            + " on conflict (name) do update set txt = excluded.txt",
        name,
        value);
  }

  void setNum(String name, long value) throws SQLException {
    write(
        "insert into "
            + table
            + " (name, num) values (?, ?)"
            + " on conflict (name) do update set num = excluded.num",
        name,
        value);
  }

  /** Adds {@code by} to a counter that starts at zero. */
  void bump(String name, long by) throws SQLException {
    write(
        "insert into "
            + table
            + " (name, num) values (?, ?)"
            + " on conflict (name) do update set num = coalesce(num, 0) + excluded.num",
        name,
        by);
  }

  @Nullable Long num(String name) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("select num from " + table + " where name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  @Nullable String txt(String name) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("select txt from " + table + " where name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private void write(String sql, String name, Object value) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, name);
      ps.setObject(2, value);
      ps.executeUpdate();
    }
  }
}
