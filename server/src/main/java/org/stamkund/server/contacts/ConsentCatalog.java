package org.stamkund.server.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.Violation;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Consent definitions: the consents a tenant asks its contacts for. */
@Component
class ConsentCatalog {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ConsentCatalog(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A consent definition as Engage shows it. */
  record ConsentDefinition(String id, String name, Map<String, Object> metaData) {}

  List<ConsentDefinition> all() {
    return jdbc.sql("select id, name, metadata::text from consent_definitions order by id")
        .query(
            (rs, n) ->
                new ConsentDefinition(
                    rs.getString(1),
                    rs.getString(2),
                    json.readValue(rs.getString(3), new TypeReference<Map<String, Object>>() {})))
        .list();
  }

  /** Creates or replaces a definition; true when it was created. */
  boolean put(ConsentDefinition definition) {
    return Boolean.TRUE.equals(
        jdbc.sql(
                """
                insert into consent_definitions (id, name, metadata) values (?, ?, ?::jsonb)
                on conflict (id) do update set name = excluded.name, metadata = excluded.metadata
                returning (xmax = 0)
                """)
            .params(
                definition.id(), definition.name(), json.writeValueAsString(definition.metaData()))
            .query(Boolean.class)
            .single());
  }

  /** Deletes a definition no contact has answered; false when it is in use or absent. */
  boolean delete(String id) {
    return jdbc.sql(
                """
                delete from consent_definitions d where d.id = ?
                and not exists (select 1 from contact_consents c where c.consent_id = d.id)
                """)
            .param(id)
            .update()
        > 0;
  }

  boolean inUse(String id) {
    return jdbc.sql("select exists (select 1 from contact_consents where consent_id = ?)")
        .param(id)
        .query(Boolean.class)
        .single();
  }

  /** A violation for every consent the payload names that is not defined. */
  List<Violation> unknown(List<ContactPayload.ConsentInput> consents) {
    if (consents.isEmpty()) {
      return List.of();
    }
    Set<String> known = all().stream().map(ConsentDefinition::id).collect(Collectors.toSet());
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < consents.size(); i++) {
      if (!known.contains(consents.get(i).id())) {
        violations.add(
            new Violation(
                "consents[" + i + "].id",
                "ConsentNotFound",
                "no consent definition '" + consents.get(i).id() + "'"));
      }
    }
    return violations;
  }
}
