package org.stamkund.server.promotions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.promotions.AssignedValidity;
import org.stamkund.engine.promotions.RedemptionChannel;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.Validity;
import org.stamkund.engine.promotions.ValueType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Promotion definitions in table {@code promotions}. */
@Component
class JdbcPromotions {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  JdbcPromotions(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  PromotionDefinition insert(UUID id, PromotionDefinition.Content content, Instant now) {
    return jdbc.sql(
            """
            insert into promotions (id, external_id, name, start_date, end_date, assigned_unit,
                                    assigned_amount, heading, description, link, channels,
                                    created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            returning *
            """)
        .params(
            Arrays.asList(
                id,
                content.externalId(),
                content.name(),
                Timestamp.from(content.validity().startDate()),
                timestamp(content.validity().endDate()),
                unit(content.validity()),
                amount(content.validity()),
                content.presentation().heading(),
                content.presentation().description(),
                content.presentation().link(),
                channels(content.channels()),
                Timestamp.from(now),
                Timestamp.from(now)))
        .query(this::map)
        .single();
  }

  /** Replaces the content of a Draft; empty when there is no such Draft. */
  Optional<PromotionDefinition> replaceDraft(
      UUID id, PromotionDefinition.Content content, Instant now) {
    return jdbc.sql(
            """
            update promotions set external_id = ?, name = ?, start_date = ?, end_date = ?,
                   assigned_unit = ?, assigned_amount = ?, heading = ?, description = ?, link = ?,
                   channels = ?::jsonb, updated_at = ?
            where id = ? and activated_at is null
            returning *
            """)
        .params(
            Arrays.asList(
                content.externalId(),
                content.name(),
                Timestamp.from(content.validity().startDate()),
                timestamp(content.validity().endDate()),
                unit(content.validity()),
                amount(content.validity()),
                content.presentation().heading(),
                content.presentation().description(),
                content.presentation().link(),
                channels(content.channels()),
                Timestamp.from(now),
                id))
        .query(this::map)
        .optional();
  }

  /** Activates a Draft; empty when it is not one (any more). */
  Optional<PromotionDefinition> activate(UUID id, Instant now) {
    return jdbc.sql(
            """
            update promotions set activated_at = ?, updated_at = ?
            where id = ? and activated_at is null
            returning *
            """)
        .params(Timestamp.from(now), Timestamp.from(now), id)
        .query(this::map)
        .optional();
  }

  Optional<PromotionDefinition> find(UUID id) {
    return jdbc.sql("select * from promotions where id = ?").param(id).query(this::map).optional();
  }

  Optional<PromotionDefinition> findByExternalId(String externalId) {
    return jdbc.sql("select * from promotions where external_id = ?")
        .param(externalId)
        .query(this::map)
        .optional();
  }

  /** Locks the definition's row until the transaction ends; false when there is none. */
  boolean lock(UUID id) {
    return jdbc.sql("select id from promotions where id = ? for update")
        .param(id)
        .query(UUID.class)
        .optional()
        .isPresent();
  }

  /** Deletes a definition that no contact holds; false when it is held. */
  boolean deleteUnassigned(UUID id) {
    return jdbc.sql(
                """
                delete from promotions
                where id = ?
                  and not exists (select 1 from promotion_assignments where promotion_id = ?)
                """)
            .params(id, id)
            .update()
        == 1;
  }

  List<PromotionDefinition> list(int offset, int count) {
    return jdbc.sql("select * from promotions order by created_at desc, id offset ? limit ?")
        .params(offset, count)
        .query(this::map)
        .list();
  }

  long count() {
    return jdbc.sql("select count(*) from promotions").query(Long.class).single();
  }

  private @Nullable String unit(Validity validity) {
    AssignedValidity assigned = validity.assignedValidity();
    return assigned == null ? null : assigned.unit().wireName();
  }

  private @Nullable Integer amount(Validity validity) {
    AssignedValidity assigned = validity.assignedValidity();
    return assigned == null ? null : assigned.amount();
  }

  private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private String channels(List<PromotionDefinition.Channel> channels) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (PromotionDefinition.Channel c : channels) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      m.put("type", c.rule().type().name());
      m.put("valueType", c.rule().valueType().name());
      m.put("value", c.rule().value());
      m.put("currency", c.rule().currency());
      m.put("instruction", c.rule().instruction());
      m.put(
          "localValues",
          c.localValues().stream()
              .map(v -> Map.of("currency", v.currency(), "amount", v.amount()))
              .toList());
      out.add(m);
    }
    return json.writeValueAsString(out);
  }

  /** Reads a {@code promotions} row; columns may carry a prefix when joined. */
  PromotionDefinition map(ResultSet rs, int n) throws SQLException {
    String unit = rs.getString("assigned_unit");
    AssignedValidity assigned =
        unit == null
            ? null
            : new AssignedValidity(
                AssignedValidity.Unit.parse(unit).orElseThrow(), rs.getInt("assigned_amount"));
    Validity validity =
        new Validity(rs.getTimestamp("start_date").toInstant(), instant(rs, "end_date"), assigned);
    List<PromotionDefinition.Channel> channels = new ArrayList<>();
    for (JsonNode c : json.readTree(rs.getString("channels"))) {
      List<PromotionDefinition.LocalValue> locals = new ArrayList<>();
      for (JsonNode v : c.path("localValues")) {
        locals.add(
            new PromotionDefinition.LocalValue(
                v.path("currency").asString(), v.path("amount").decimalValue()));
      }
      channels.add(
          new PromotionDefinition.Channel(
              new RedemptionChannel(
                  RedemptionChannelType.valueOf(c.path("type").asString()),
                  ValueType.valueOf(c.path("valueType").asString()),
                  textOrNull(c.path("value")),
                  textOrNull(c.path("currency")),
                  textOrNull(c.path("instruction"))),
              locals));
    }
    return new PromotionDefinition(
        rs.getObject("id", UUID.class),
        rs.getString("external_id"),
        rs.getString("name"),
        validity,
        new PromotionDefinition.Presentation(
            rs.getString("heading"), rs.getString("description"), rs.getString("link")),
        channels,
        instant(rs, "activated_at"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static @Nullable String textOrNull(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? null : node.asString();
  }

  static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
