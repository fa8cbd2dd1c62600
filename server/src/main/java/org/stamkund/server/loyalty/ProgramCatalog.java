package org.stamkund.server.loyalty;

import java.sql.Timestamp;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.program.ProgramRules;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored programme. Each receipt reads it inside its own transaction (the parsed form is cached
 * by version), so a change applies exactly to receipts processed after it commits.
 */
@Component
class ProgramCatalog {

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private volatile @Nullable Cached cached;

  private record Cached(Timestamp version, LoyaltyProgram program) {}

  ProgramCatalog(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The programme in force; {@link LoyaltyProgram#defaults()} until one is stored. Read once per
   * transaction: a batch of receipts committed together applies one programme.
   */
  LoyaltyProgram current() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return read();
    }
    if (TransactionSynchronizationManager.getResource(this) instanceof LoyaltyProgram held) {
      return held;
    }
    LoyaltyProgram program = read();
    TransactionSynchronizationManager.bindResource(this, program);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(ProgramCatalog.this);
          }
        });
    return program;
  }

  private LoyaltyProgram read() {
    Timestamp version =
        jdbc.sql("select updated_at from loyalty_program where id = 1")
            .query(Timestamp.class)
            .optional()
            .orElse(null);
    if (version == null) {
      return LoyaltyProgram.defaults();
    }
    Cached c = cached;
    if (c != null && c.version().equals(version)) {
      return c.program();
    }
    String text =
        jdbc.sql("select program::text from loyalty_program where id = 1")
            .query(String.class)
            .single();
    LoyaltyProgram program = json.readValue(text, ProgramBody.class).toProgram();
    cached = new Cached(version, program);
    return program;
  }

  LoyaltyProgram replace(ProgramBody body) {
    LoyaltyProgram program = body.toProgram();
    ProgramRules.check(program);
    jdbc.sql(
            """
            insert into loyalty_program (id, program, updated_at) values (1, ?::jsonb, ?)
            on conflict (id) do update set program = excluded.program,
                updated_at = greatest(excluded.updated_at, loyalty_program.updated_at
                                      + interval '1 microsecond')
            """)
        .params(json.writeValueAsString(ProgramBody.of(program)), Timestamp.from(clock.instant()))
        .update();
    return program;
  }
}
