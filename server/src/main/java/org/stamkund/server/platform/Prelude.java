package org.stamkund.server.platform;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A statement whose effect a later read needs, such as taking locks, sent in the same round trip as
 * that read: {@code prelude; read} in one prepared statement, which the driver sends with one sync.
 * PostgreSQL runs them in order, and at read committed the read takes its snapshot after the
 * prelude has finished, so it sees every transaction the prelude waited for. A receipt batch's
 * locks and its members' lookup go together this way: one wait for the database less a batch
 * (docs/performance.md, "Twenty-first session").
 *
 * @param sql one statement, without a trailing semicolon
 * @param params its parameters, in order
 */
public record Prelude(String sql, List<@Nullable Object> params) {

  public Prelude {
    if (sql.strip().endsWith(";")) {
      throw new IllegalArgumentException("a prelude is one statement, without a semicolon");
    }
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params));
  }

  public static Prelude of(String sql, @Nullable Object... params) {
    return new Prelude(sql, java.util.Arrays.asList(params));
  }

  /** Runs the prelude alone, for a caller that found nothing to read after it. */
  public void run(JdbcTemplate template) {
    template.execute(
        sql,
        (PreparedStatement ps) -> {
          new ArgumentPreparedStatementSetter(params.toArray()).setValues(ps);
          ps.execute();
          return null;
        });
  }

  /**
   * Runs the prelude, then {@code read}, in one round trip, and hands each row of the read to
   * {@code rows}. Nothing of the prelude's result is read.
   */
  public void thenQuery(
      JdbcTemplate template, String read, List<?> readParams, RowCallbackHandler rows) {
    Object[] all = Stream.concat(params.stream(), readParams.stream()).toArray();
    template.execute(
        sql + ";\n" + read,
        (PreparedStatement ps) -> {
          new ArgumentPreparedStatementSetter(all).setValues(ps);
          ps.execute();
          // The prelude's result first (a row set or a count), then the read's row set.
          if (!ps.getMoreResults()) {
            throw new IllegalStateException("the read after a prelude returned no rows");
          }
          try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
              rows.processRow(rs);
            }
          }
          return null;
        });
  }
}
