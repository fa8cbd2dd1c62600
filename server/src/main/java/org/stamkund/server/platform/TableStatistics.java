package org.stamkund.server.platform;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives a table the planner's statistics as soon as a bulk write has filled it, instead of waiting
 * for autovacuum's first pass, up to a minute later.
 *
 * <p>Why it matters: a prepared statement remembers the costs of its past plans. When a table's
 * very first statistics arrive while statements on it are already in use, PostgreSQL can keep
 * planning those statements anew on every call from then on (measured: the e-mail lookup right
 * after a large import, docs/performance.md). Tables that already have statistics are left to
 * autovacuum.
 */
@Component
public class TableStatistics {

  private static final Logger log = LoggerFactory.getLogger(TableStatistics.class);

  private final JdbcClient jdbc;

  TableStatistics(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Analyzes those of {@code tables} (names from code, never from input) that have no statistics
   * yet. An empty table gets none, so it is analyzed again next time, which costs next to nothing.
   * A failure is logged, not thrown; a database role that may not analyze a table only makes
   * PostgreSQL skip it with a warning.
   */
  public void ensure(List<String> tables) {
    try {
      var missing =
          jdbc.sql(
                  """
                  select t.name from unnest(?::text[]) as t(name)
                  where to_regclass(t.name) is not null
                    and not exists (select from pg_stats s
                                    where s.schemaname = current_schema() and s.tablename = t.name)
                  """)
              .param(tables.toArray(String[]::new))
              .query(String.class)
              .list();
      for (var table : missing) {
        jdbc.sql("analyze " + table).update();
        log.info("analyzed {} for its first statistics", table);
      }
    } catch (DataAccessException e) {
      log.warn("could not analyze {}: {}", tables, e.getMessage());
    }
  }
}
