package org.stamkund.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Two server nodes on one database: concurrent creates never share a member number or a key. */
class TwoNodesIntegrationTests {

  private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
  private static final List<Api> apis = new ArrayList<>();

  @BeforeAll
  static void startTwoNodes() {
    for (int i = 0; i < 2; i++) {
      ConfigurableApplicationContext node =
          new SpringApplicationBuilder(StamkundServer.class)
              .run(
                  "--server.port=0",
                  "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                  "--spring.datasource.username=postgres",
                  "--spring.datasource.password=postgres",
                  "--spring.datasource.hikari.maximum-pool-size=12",
                  "--stamkund.bootstrap-api-key=" + IntegrationTest.KEY,
                  "--stamkund.crypto.keys=1:" + IntegrationTest.AES_KEY,
                  "--stamkund.crypto.index-key=" + IntegrationTest.INDEX_KEY);
      nodes.add(node);
      String port = node.getEnvironment().getProperty("local.server.port");
      apis.add(new Api("http://localhost:" + port, IntegrationTest.KEY));
    }
  }

  @AfterAll
  static void stopNodes() {
    nodes.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void concurrentCreatesOnTwoNodesNeverDuplicateAMemberNumberOrAKey() throws Exception {
    int emails = 30;
    int attemptsPerEmail = 6;
    String run = Api.uniqueEmail().substring(2, 14);
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < emails; i++) {
      addresses.add("race-" + run + "-" + i + "@example.se");
    }
    Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> conflicts = new ConcurrentHashMap<>();
    AtomicInteger unexpected = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(24);
    List<Future<?>> futures = new ArrayList<>();
    for (int attempt = 0; attempt < attemptsPerEmail; attempt++) {
      for (int i = 0; i < emails; i++) {
        String email = addresses.get(i);
        Api node = apis.get((attempt + i) % 2);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  Api.Response r = node.post("/api/v2/contacts", Map.of("email", email));
                  switch (r.status()) {
                    case 201 ->
                        created.computeIfAbsent(email, e -> new AtomicInteger()).incrementAndGet();
                    case 409 ->
                        conflicts
                            .computeIfAbsent(email, e -> new AtomicInteger())
                            .incrementAndGet();
                    default -> unexpected.incrementAndGet();
                  }
                  return null;
                }));
      }
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    assertThat(unexpected).hasValue(0);
    for (String email : addresses) {
      assertThat(created.get(email)).as(email).hasValue(1);
      assertThat(conflicts.get(email)).as(email).hasValue(attemptsPerEmail - 1);
    }
    JdbcClient jdbc = JdbcClient.create(nodes.getFirst().getBean(javax.sql.DataSource.class));
    List<@org.jspecify.annotations.Nullable Long> perEmail =
        jdbc.sql("select count(*) from contacts where email like ? group by email")
            .param("race-" + run + "-%")
            .query(Long.class)
            .list();
    assertThat(perEmail).hasSize(emails).containsOnly(1L);
    List<@org.jspecify.annotations.Nullable Long> numbers =
        jdbc.sql("select member_number from contacts where email like ?")
            .param("race-" + run + "-%")
            .query(Long.class)
            .list();
    assertThat(numbers).hasSize(emails).doesNotContainNull().doesNotHaveDuplicates();
    long duplicatedNumbers =
        jdbc.sql(
                "select count(*) from (select member_number from contacts where member_number is"
                    + " not null group by member_number having count(*) > 1) d")
            .query(Long.class)
            .single();
    assertThat(duplicatedNumbers).isZero();
  }

  @Test
  void aNodeWithOtherPersonalDataKeysRefusesToStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(StamkundServer.class)
                    .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres",
                        "--stamkund.bootstrap-api-key=" + IntegrationTest.KEY,
                        "--stamkund.crypto.keys=1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVoxMjM0NTY=",
                        "--stamkund.crypto.index-key=" + IntegrationTest.INDEX_KEY))
        .hasStackTraceContaining("STAMKUND_CRYPTO_KEYS");
  }
}
