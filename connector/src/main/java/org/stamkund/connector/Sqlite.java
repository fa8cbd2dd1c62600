package org.stamkund.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the connector's SQLite files: WAL, synchronous FULL, secure delete, a 5 s busy timeout and
 * foreign keys on. Public so that the connector's feature packages keep their own files the same
 * way.
 */
public final class Sqlite {

  private Sqlite() {}

  /**
   * Opens (creating it and its directory if needed) the SQLite file {@code file} with the
   * connector's settings, in auto-commit mode.
   *
   * @throws StorageException when the file cannot be opened
   */
  public static Connection open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        // FULL: a buffered receipt is on disk before the till is told it is safe.
        s.execute("PRAGMA synchronous=FULL");
        // Deleted personal data is overwritten, not left in free pages (GDPR, seed 004).
        s.execute("PRAGMA secure_delete=ON");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA foreign_keys=ON");
      }
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      throw new StorageException("cannot open " + file.getFileName(), e);
    }
  }
}
