package org.stamkund.server.apikeys;

import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.platform.StamkundProperties;

/**
 * At start: installs {@code STAMKUND_BOOTSTRAP_API_KEY} when set; otherwise, on a database without
 * any key, creates one key with every scope and prints it once. An advisory lock makes nodes that
 * start together create only one.
 */
@Component
class ApiKeyBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);
  private static final long LOCK = 0x5374616d6b756e64L;

  private final ApiKeyManagement keys;
  private final StamkundProperties properties;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  ApiKeyBootstrap(
      ApiKeyManagement keys,
      StamkundProperties properties,
      JdbcClient jdbc,
      TransactionTemplate transactions) {
    this.keys = keys;
    this.properties = properties;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  @Override
  public void run(ApplicationArguments args) {
    String bootstrap = properties.bootstrapApiKey();
    transactions.executeWithoutResult(
        tx -> {
          jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query().singleRow();
          if (bootstrap != null && !bootstrap.isBlank()) {
            keys.installBootstrap(bootstrap.strip());
            log.info("bootstrap API key installed from STAMKUND_BOOTSTRAP_API_KEY");
          } else if (!keys.anyActive()) {
            String secret = ApiKeySecrets.generate();
            keys.insert("initial admin", EnumSet.allOf(Scope.class), secret, false);
            // Printed, not logged: this is the only time anyone can see it.
            System.out.println(
                """

                ================================================================
                 Stamkund created an API key with every scope. Keep it safe;
                 it is shown only this once:

                   %s
                ================================================================
                """
                    .formatted(secret));
          }
        });
  }
}
