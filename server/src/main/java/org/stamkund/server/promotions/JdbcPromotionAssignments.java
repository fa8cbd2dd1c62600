package org.stamkund.server.promotions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.promotions.RedemptionChannelType;

/**
 * Promotion instances held by contacts, in table {@code promotion_assignments}. A redemption is one
 * conditional update that also checks the definition's dates and channels, so of racing redemptions
 * exactly one changes the row.
 */
@Component
class JdbcPromotionAssignments {

  /** Rows one multi-row insert writes. */
  static final int INSERT_CHUNK = 1000;

  private static final String COLUMNS =
      """
      a.id as a_id, a.promotion_id as a_promotion_id, a.contact_id as a_contact_id,
      a.assigned_at as a_assigned_at, a.expires_on as a_expires_on,
      a.redeemed_at as a_redeemed_at, a.redeemed_channel as a_redeemed_channel,
      a.redeemed_receipt_id as a_redeemed_receipt_id, a.redemption_key as a_redemption_key, p.*
      """;

  /** The definition's dates allow use at the parameter's instant. */
  private static final String USABLE_AT =
      """
      p.activated_at is not null and p.start_date <= ? and (p.end_date is null or p.end_date > ?)
      """;

  private final JdbcClient jdbc;
  private final JdbcPromotions promotions;

  JdbcPromotionAssignments(JdbcClient jdbc, JdbcPromotions promotions) {
    this.jdbc = jdbc;
    this.promotions = promotions;
  }

  /** An instance as stored. */
  record Assignment(
      UUID id,
      UUID promotionId,
      UUID contactId,
      Instant assignedAt,
      @Nullable Instant expiresOn,
      @Nullable Instant redeemedAt,
      @Nullable RedemptionChannelType redeemedChannel,
      @Nullable UUID redeemedReceiptId,
      @Nullable String redemptionKey) {}

  /** An instance with its definition. */
  record Held(Assignment assignment, PromotionDefinition promotion) {}

  /** A new instance for a contact. */
  record NewAssignment(UUID id, UUID contactId) {}

  /**
   * Inserts the instances no contact holds yet; a contact that already holds the promotion keeps
   * the instance it has.
   *
   * @return the instances inserted
   */
  List<Assignment> insertMissing(
      UUID promotionId, List<NewAssignment> rows, Instant now, @Nullable Instant expiresOn) {
    List<Assignment> inserted = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
      List<NewAssignment> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
      StringBuilder sql =
          new StringBuilder(
              "insert into promotion_assignments (id, promotion_id, contact_id, assigned_at,"
                  + " expires_on) values ");
      List<@Nullable Object> params = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?)");
        params.add(chunk.get(i).id());
        params.add(promotionId);
        params.add(chunk.get(i).contactId());
        params.add(Timestamp.from(now));
        params.add(expiresOn == null ? null : Timestamp.from(expiresOn));
      }
      sql.append(" on conflict (contact_id, promotion_id) do nothing returning *");
      inserted.addAll(
          jdbc.sql(sql.toString()).params(params).query(JdbcPromotionAssignments::mapPlain).list());
    }
    return inserted;
  }

  Optional<Held> find(UUID id) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from promotion_assignments a join promotions p on p.id = a.promotion_id"
                + " where a.id = ?")
        .param(id)
        .query(this::mapHeld)
        .optional();
  }

  Optional<Held> findByContact(UUID contactId, UUID promotionId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from promotion_assignments a join promotions p on p.id = a.promotion_id"
                + " where a.contact_id = ? and a.promotion_id = ?")
        .params(contactId, promotionId)
        .query(this::mapHeld)
        .optional();
  }

  /** The contact's instances usable now, on {@code channel} when given, oldest first. */
  List<Held> available(UUID contactId, @Nullable RedemptionChannelType channel, Instant now) {
    List<@Nullable Object> params = new ArrayList<>();
    params.add(contactId);
    params.add(Timestamp.from(now));
    params.add(Timestamp.from(now));
    params.add(Timestamp.from(now));
    String channelFilter = "";
    if (channel != null) {
      channelFilter = " and p.channels @> jsonb_build_array(jsonb_build_object('type', ?::text))";
      params.add(channel.name());
    }
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from promotion_assignments a join promotions p on p.id = a.promotion_id"
                + " where a.contact_id = ? and a.redeemed_at is null"
                + " and (a.expires_on is null or a.expires_on > ?) and "
                + USABLE_AT
                + channelFilter
                + " order by a.assigned_at, a.id")
        .params(params)
        .query(this::mapHeld)
        .list();
  }

  /** Every instance the contact holds, in any state, newest first. */
  List<Held> all(UUID contactId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from promotion_assignments a join promotions p on p.id = a.promotion_id"
                + " where a.contact_id = ? order by a.assigned_at desc, a.id desc")
        .param(contactId)
        .query(this::mapHeld)
        .list();
  }

  /**
   * Redeems an instance if it is usable: not redeemed, not expired at {@code usableAt}, its
   * definition active then, and offering {@code channel} (unless null). One statement: of racing
   * calls exactly one gets the row back.
   *
   * @param contactId the holder it must have; null for any holder
   * @return the redeemed instance; empty when it was not usable (nothing changed)
   */
  Optional<Assignment> redeem(
      UUID id,
      @Nullable UUID contactId,
      @Nullable RedemptionChannelType channel,
      @Nullable UUID receiptId,
      @Nullable String key,
      Instant usableAt,
      Instant now) {
    return jdbc.sql(
            """
            update promotion_assignments a
               set redeemed_at = ?, redeemed_channel = ?, redeemed_receipt_id = ?,
                   redemption_key = ?
              from promotions p
             where a.id = ? and p.id = a.promotion_id
               and (cast(? as uuid) is null or a.contact_id = cast(? as uuid))
               and a.redeemed_at is null
               and (a.expires_on is null or a.expires_on > ?)
               and p.activated_at is not null and p.start_date <= ?
               and (p.end_date is null or p.end_date > ?)
               and (cast(? as text) is null
                    or p.channels @> jsonb_build_array(jsonb_build_object('type', cast(? as text))))
            returning a.*
            """)
        .params(
            Arrays.asList(
                Timestamp.from(now),
                channel == null ? null : channel.name(),
                receiptId,
                key,
                id,
                contactId,
                contactId,
                Timestamp.from(usableAt),
                Timestamp.from(usableAt),
                Timestamp.from(usableAt),
                channel == null ? null : channel.name(),
                channel == null ? null : channel.name()))
        .query(JdbcPromotionAssignments::mapPlain)
        .optional();
  }

  private Held mapHeld(ResultSet rs, int n) throws SQLException {
    return new Held(mapPrefixed(rs), promotions.map(rs, n));
  }

  private static Assignment mapPrefixed(ResultSet rs) throws SQLException {
    return assignment(rs, "a_");
  }

  private static Assignment mapPlain(ResultSet rs, int n) throws SQLException {
    return assignment(rs, "");
  }

  private static Assignment assignment(ResultSet rs, String prefix) throws SQLException {
    String channel = rs.getString(prefix + "redeemed_channel");
    return new Assignment(
        rs.getObject(prefix + "id", UUID.class),
        rs.getObject(prefix + "promotion_id", UUID.class),
        rs.getObject(prefix + "contact_id", UUID.class),
        rs.getTimestamp(prefix + "assigned_at").toInstant(),
        JdbcPromotions.instant(rs, prefix + "expires_on"),
        JdbcPromotions.instant(rs, prefix + "redeemed_at"),
        channel == null ? null : RedemptionChannelType.valueOf(channel),
        rs.getObject(prefix + "redeemed_receipt_id", UUID.class),
        rs.getString(prefix + "redemption_key"));
  }
}
