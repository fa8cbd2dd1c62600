package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.articles.Article;
import org.stamkund.server.articles.ArticleCatalog;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;

/** Purchase history, its summary and the POS member-status lamp (§2.3, §2.8). */
@RestController
class PurchaseHistoryController {

  private final JdbcClient jdbc;
  private final LoyaltyReads reads;
  private final ProgramCatalog programs;
  private final PointsLedger ledger;
  private final LevelBook levels;
  private final ContactKeys keys;
  private final StamkundProperties properties;
  private final Clock clock;

  private final ArticleCatalog articles;

  PurchaseHistoryController(
      JdbcClient jdbc,
      LoyaltyReads reads,
      ProgramCatalog programs,
      PointsLedger ledger,
      LevelBook levels,
      ContactKeys keys,
      StamkundProperties properties,
      Clock clock,
      ArticleCatalog articles) {
    this.articles = articles;
    this.jdbc = jdbc;
    this.reads = reads;
    this.programs = programs;
    this.ledger = ledger;
    this.levels = levels;
    this.keys = keys;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/api/v2/contacts/{contactId}/transactions")
  @Tag(name = "Receipts")
  @Operation(summary = "A contact's receipts, newest first, with their lines")
  Map<String, Object> transactions(
      @PathVariable String contactId,
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count) {
    UUID id = reads.requireContact(contactId);
    int o = LoyaltyReads.offset(offset);
    int c = LoyaltyReads.count(count);
    String group = programs.current().groupCurrency();
    List<Map<String, @Nullable Object>> items =
        jdbc.sql(
                """
                select r.id, r.receipt_number, r.created_date, r.store_external_id, s.name, s.type,
                       r.currency, r.exchange_rate, r.group_amount, r.unique_receipt_id
                from receipts r left join stores s on s.external_id = r.store_external_id
                where r.contact_id = ? order by r.created_date desc, r.id desc offset ? limit ?
                """)
            .params(id, o, c)
            .query(
                (rs, n) -> {
                  Map<String, @Nullable Object> t = new LinkedHashMap<>();
                  UUID receiptId = rs.getObject(1, UUID.class);
                  BigDecimal groupAmount = rs.getBigDecimal(9);
                  BigDecimal rate = rs.getBigDecimal(8);
                  t.put("id", receiptId.toString());
                  t.put("transactionNumber", rs.getString(2));
                  t.put(
                      "createdDate",
                      WireTime.format(rs.getTimestamp(3).toInstant(), properties.timeZone()));
                  t.put("storeName", rs.getString(5) == null ? rs.getString(4) : rs.getString(5));
                  t.put("storeType", rs.getString(6));
                  t.put("netPriceSum", groupAmount.setScale(2, RoundingMode.HALF_EVEN));
                  t.put(
                      "localNetPriceSum",
                      rate.signum() == 0
                          ? groupAmount
                          : groupAmount.divide(rate, 2, RoundingMode.HALF_EVEN));
                  t.put("localCurrency", rs.getString(7));
                  t.put("groupCurrency", group);
                  t.put("externalId", rs.getString(10));
                  return t;
                })
            .list();
    // The lines of the whole page in one query, grouped by receipt.
    Map<String, List<Map<String, Object>>> linesByReceipt = new LinkedHashMap<>();
    jdbc.sql(
            """
            select receipt_id, line_index, type, sku, quantity, gross_paid_price, points
            from receipt_lines where receipt_id = any(?) order by receipt_id, line_index
            """)
        .param(items.stream().map(t -> UUID.fromString((String) t.get("id"))).toArray(UUID[]::new))
        .query(
            (rs, n) ->
                linesByReceipt
                    .computeIfAbsent(
                        rs.getObject(1, UUID.class).toString(), k -> new java.util.ArrayList<>())
                    .add(
                        Map.<String, Object>of(
                            "lineNumber", rs.getInt(2),
                            "type", rs.getString(3),
                            "sku", rs.getString(4),
                            "quantity", rs.getBigDecimal(5),
                            "grossPaidPrice", rs.getBigDecimal(6),
                            "points", rs.getLong(7))))
        .list();
    // Article data from the product export: group, brand and category of each line's sku.
    Map<String, Article> articles =
        this.articles.bySku(
            linesByReceipt.values().stream()
                .flatMap(List::stream)
                .map(l -> (String) l.get("sku"))
                .toList());
    for (Map<String, @Nullable Object> t : items) {
      List<Map<String, Object>> lines =
          linesByReceipt.getOrDefault((String) t.get("id"), List.of()).stream()
              .map(l -> withArticle(l, articles.get((String) l.get("sku"))))
              .toList();
      t.put("numberOfItems", lines.size());
      t.put("lineItems", lines);
    }
    long total =
        jdbc.sql("select count(*) from receipts where contact_id = ?")
            .param(id)
            .query(Long.class)
            .single();
    return LoyaltyReads.paged(items, total, o, c);
  }

  @GetMapping("/api/v2/contacts/{contactId}/purchasehistorysummary")
  @Tag(name = "Receipts")
  @Operation(summary = "Purchase KPIs: all time, last 12 and last 24 months, in the group currency")
  Map<String, @Nullable Object> summary(@PathVariable String contactId) {
    UUID id = reads.requireContact(contactId);
    Instant now = clock.instant();
    Map<String, @Nullable Object> summary = new LinkedHashMap<>();
    summary.put("allTime", kpis(id, null));
    summary.put(
        "last12Months", kpis(id, now.atZone(properties.timeZone()).minusMonths(12).toInstant()));
    summary.put(
        "last24Months", kpis(id, now.atZone(properties.timeZone()).minusMonths(24).toInstant()));
    Optional<Timestamp> latest =
        jdbc.sql("select max(created_date) from receipts where contact_id = ?")
            .param(id)
            .query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)))
            .single();
    summary.put(
        "latestReceiptDate",
        latest.map(t -> WireTime.format(t.toInstant(), properties.timeZone())).orElse(null));
    summary.put("currency", programs.current().groupCurrency());
    summary.put("lastUpdated", WireTime.format(now, properties.timeZone()));
    return summary;
  }

  private Map<String, Object> kpis(UUID contactId, @Nullable Instant from) {
    return jdbc.sql(
            """
            select coalesce(sum(r.group_amount), 0), count(*) filter (where r.group_amount > 0),
                   coalesce((select sum(l.quantity) from receipt_lines l
                             where l.receipt_id = any(array_agg(r.id)) and l.type = 'PURCHASE'), 0)
            from receipts r where r.contact_id = ? and r.created_date >= ?
            """)
        .params(contactId, Timestamp.from(from == null ? Instant.EPOCH : from))
        .query(
            (rs, n) -> {
              BigDecimal amount = rs.getBigDecimal(1).setScale(2, RoundingMode.HALF_EVEN);
              long purchases = rs.getLong(2);
              Map<String, Object> k = new LinkedHashMap<>();
              k.put("totalAmount", amount);
              k.put("numberOfPurchases", purchases);
              k.put("numberOfArticles", rs.getBigDecimal(3));
              k.put(
                  "averageReceiptAmount",
                  purchases == 0
                      ? BigDecimal.ZERO
                      : amount.divide(BigDecimal.valueOf(purchases), 2, RoundingMode.HALF_EVEN));
              return k;
            })
        .single();
  }

  /** A value that cannot be a key of that kind, or a missing type, simply matches nobody. */
  private Optional<UUID> resolveQuietly(String type, String value, String contactType) {
    try {
      return keys.resolve(type, value, contactType);
    } catch (ApiException e) {
      return Optional.empty();
    }
  }

  @GetMapping("/api/v2/memberstatus")
  @Tag(name = "Member status")
  @Operation(
      summary = "POS member-status lamp",
      description =
          "query = {field}:{value}, field one of email, mobilePhone, socialSecurityNumber,"
              + " memberNumber, externalId. Green for a member, yellow for a contact who is not"
              + " one, red when nobody matches.")
  Map<String, Object> memberStatus(@RequestParam(required = false) @Nullable String query) {
    if (query == null || !query.contains(":")) {
      throw ApiException.badField(
          "InvalidSearchQuery", "query", "use {field}:{value}, e.g. email:a@b.se");
    }
    String field = query.substring(0, query.indexOf(':')).strip();
    String value = query.substring(query.indexOf(':') + 1).strip();
    String type =
        ContactKeys.canonicalType(field)
            .filter(t -> !t.equals("contactId"))
            .orElseThrow(
                () ->
                    ApiException.badField(
                        "InvalidSearchQuery",
                        "query",
                        "field is email, mobilePhone, socialSecurityNumber, memberNumber or externalId"));
    Optional<UUID> member = resolveQuietly(type, value, "Member");
    Optional<UUID> contact = member.isPresent() ? member : resolveQuietly(type, value, "Contact");
    Map<String, Object> data = new LinkedHashMap<>();
    if (contact.isEmpty()) {
      return Map.of("statusColor", "red", "statusText", "Not found", "data", data);
    }
    UUID id = contact.get();
    data.put("contactId", id.toString());
    jdbc.sql("select member_number from contacts where id = ?")
        .param(id)
        .query((rs, n) -> rs.getObject(1) == null ? "" : Long.toString(rs.getLong(1)))
        .optional()
        .filter(s -> !s.isEmpty())
        .ifPresent(number -> data.put("memberNumber", number));
    if (member.isEmpty()) {
      return Map.of("statusColor", "yellow", "statusText", "Contact, not a member", "data", data);
    }
    Instant now = clock.instant();
    data.put("points", ledger.total(id) - ledger.pending(id, now));
    levels
        .find(id)
        .ifPresent(
            l ->
                data.put(
                    "level", LoyaltyOverview.level(l, programs.current(), properties).get("name")));
    return Map.of("statusColor", "green", "statusText", "Member", "data", data);
  }

  private static Map<String, Object> withArticle(
      Map<String, Object> line, @Nullable Article article) {
    Map<String, Object> enriched = new LinkedHashMap<>(line);
    enriched.put("articleName", article == null ? null : article.name());
    enriched.put("articleGroup", article == null ? null : article.articleGroup());
    enriched.put("brand", article == null ? null : article.brand());
    enriched.put("category", article == null ? null : article.category());
    return enriched;
  }
}
