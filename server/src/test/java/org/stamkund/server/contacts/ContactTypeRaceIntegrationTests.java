package org.stamkund.server.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;

/** Changing a type's keys while contacts of it are created never leaves a contact keyed wrong. */
class ContactTypeRaceIntegrationTests extends IntegrationTest {

  @Autowired JdbcClient jdbc;

  @Test
  void keyChangeRacingCreatesLeavesEveryContactKeyedByItsTypesKeys() throws Exception {
    for (int round = 0; round < 5; round++) {
      String type = "Race" + UUID.randomUUID().toString().substring(0, 8);
      assertThat(
              api.put(
                      "/admin/contact-types/" + type,
                      Map.of("keys", List.of("email"), "mandatory", List.of()))
                  .status())
          .isEqualTo(201);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> creates =
          List.of(
              pool.submit(() -> create(type)),
              pool.submit(() -> create(type)),
              pool.submit(() -> create(type)));
      Future<Integer> change =
          pool.submit(
              () ->
                  api.put(
                          "/admin/contact-types/" + type,
                          Map.of("keys", List.of("mobilePhone"), "mandatory", List.of()))
                      .status());
      for (Future<Integer> f : creates) {
        assertThat(f.get()).isIn(201, 409, 422);
      }
      assertThat(change.get()).isIn(200, 409);
      pool.shutdown();
      List<@org.jspecify.annotations.Nullable String> keys =
          jdbc.sql("select unnest(key_attributes) from contact_types where id = ?")
              .param(type)
              .query(String.class)
              .list();
      long wronglyKeyed =
          jdbc.sql(
                  """
                  select count(*) from contact_keys k
                  where k.contact_type_id = ? and not (k.attribute = any(?::text[]))
                  """)
              .params(
                  type, "{" + String.join(",", keys.stream().map(String::valueOf).toList()) + "}")
              .query(Long.class)
              .single();
      assertThat(wronglyKeyed).as("key rows not of the type's current keys").isZero();
      long wrongColumns =
          jdbc.sql(
                  """
                  select count(*) from contacts c join contact_types t on t.id = c.contact_type_id
                  where c.contact_type_id = ?
                    and c.key_columns <> (case when 'email' = any(t.key_attributes) then 1 else 0 end)
                                       | (case when 'mobilePhone' = any(t.key_attributes) then 2 else 0 end)
                                       | (case when 'externalId' = any(t.key_attributes) then 4 else 0 end)
                  """)
              .param(type)
              .query(Long.class)
              .single();
      assertThat(wrongColumns).as("contacts whose key columns are not the type's keys").isZero();
    }
  }

  private int create(String type) {
    return api.post(
            "/api/v2/contacts",
            Map.of(
                "contactType",
                type,
                "email",
                Api.uniqueEmail(),
                "mobilePhone",
                ContactTestData.mobilePhone()))
        .status();
  }
}
