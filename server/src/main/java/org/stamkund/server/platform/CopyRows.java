package org.stamkund.server.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in its text format, sent in one go on the
 * transaction's connection. COPY inserts many rows without a statement to parse and plan or a
 * parameter to bind for each value: a bulk import's contact rows cost PostgreSQL a third less than
 * as multi-row inserts (docs/performance.md, "Ninth session").
 *
 * <p>Values go in column order, each row ended by {@link #endRow()}. Errors surface as from any
 * statement: a unique violation is Spring's {@code DuplicateKeyException}.
 */
public final class CopyRows {

  private static final HexFormat HEX = HexFormat.of();

  private final String target;
  private final StringBuilder text = new StringBuilder(1 << 16);
  private boolean rowStarted;
  private int rows;
  private Instant lastTime = Instant.MIN;
  private String lastTimeText = "";

  /**
   * @param target the table and its columns, as in {@code contacts (id, email)}
   */
  public CopyRows(String target) {
    this.target = target;
  }

  /** Any value of the types the project stores: text, numbers, flags, times, bytes, JSON. */
  public CopyRows value(@Nullable Object value) {
    return switch (value) {
      case null -> raw("\\N");
      case String s -> text(s);
      case UUID id -> raw(id.toString());
      case Boolean flag -> raw(flag ? "t" : "f");
      case Long number -> raw(number.toString());
      case Integer number -> raw(number.toString());
      case Short number -> raw(number.toString());
      case Instant time -> raw(timeText(time));
      case java.sql.Timestamp time -> raw(timeText(time.toInstant()));
      case LocalDate day -> raw(day.toString());
      case java.sql.Date day -> raw(day.toLocalDate().toString());
      // bytea's hex form, its backslash escaped for COPY
      case byte[] bytes -> raw("\\\\x" + HEX.formatHex(bytes));
      case PGobject object -> value(object.getValue());
      default ->
          throw new IllegalArgumentException(
              "no COPY form for " + value.getClass().getSimpleName());
    };
  }

  /** Text, its backslashes, tabs and line ends escaped as the format needs. */
  public CopyRows text(String value) {
    separate();
    if (plain(value)) {
      text.append(value);
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
    return this;
  }

  /** Whether text needs no escaping, as almost all does: then it is copied whole. */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
        return false;
      }
    }
    return true;
  }

  public CopyRows endRow() {
    text.append('\n');
    rowStarted = false;
    rows++;
    return this;
  }

  public int rows() {
    return rows;
  }

  /**
   * Sends the rows on the current transaction's connection.
   *
   * @return how many rows were inserted
   */
  public long into(JdbcTemplate template) {
    if (rows == 0) {
      return 0;
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Long copied =
        template.execute(
            (ConnectionCallback<Long>)
                connection -> {
                  var copy =
                      connection
                          .unwrap(PGConnection.class)
                          .getCopyAPI()
                          .copyIn("copy " + target + " from stdin");
                  try {
                    copy.writeToCopy(bytes, 0, bytes.length);
                    return copy.endCopy();
                  } finally {
                    if (copy.isActive()) {
                      copy.cancelCopy();
                    }
                  }
                });
    return copied == null ? 0 : copied;
  }

  /** The rows of a batch mostly share one time: formatted once (formatting is not cheap). */
  private String timeText(Instant time) {
    if (!time.equals(lastTime)) {
      lastTime = time;
      lastTimeText = time.toString();
    }
    return lastTimeText;
  }

  private CopyRows raw(String value) {
    separate();
    text.append(value);
    return this;
  }

  private void separate() {
    if (rowStarted) {
      text.append('\t');
    }
    rowStarted = true;
  }
}
