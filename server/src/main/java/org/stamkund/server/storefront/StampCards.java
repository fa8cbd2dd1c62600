package org.stamkund.server.storefront;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.articles.Article;
import org.stamkund.server.articles.ArticleCatalog;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.DomainEvents;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.promotions.PromotionManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stamp cards: their definitions, and members' progress, counted in the transaction that applies
 * each receipt (on its {@code receipt.processed} event): a receipt's stamps, and a full card's
 * promotion, commit with the receipt or not at all. Each receipt is counted once, recorded in
 * {@code stamp_card_receipts}. A card counts receipts processed after it was created; on other
 * nodes it is seen within {@link #CARDS_TTL}.
 */
@Component
class StampCards {

  private static final Logger log = LoggerFactory.getLogger(StampCards.class);

  /** A stamp card definition. */
  record Card(
      UUID id,
      String name,
      int slots,
      List<String> skus,
      List<String> articleGroups,
      UUID promotionId,
      boolean active,
      Instant createdAt) {}

  /** A member's card: its definition, stamps on the current card and cards completed. */
  record Progress(Card card, int stamps, int completed) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;
  private final TransactionTemplate savepoint;
  private final ArticleCatalog articles;
  private final PromotionManagement promotions;

  StampCards(
      JdbcClient jdbc,
      JsonMapper json,
      IdGenerator ids,
      Clock clock,
      PlatformTransactionManager transactionManager,
      PromotionManagement promotions,
      ArticleCatalog articles) {
    this.articles = articles;
    this.jdbc = jdbc;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
    this.savepoint = new TransactionTemplate(transactionManager);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    this.promotions = promotions;
  }

  /** How long a node keeps the list of active cards before reading it again. */
  static final java.time.Duration CARDS_TTL = java.time.Duration.ofSeconds(5);

  private record CachedCards(List<Card> cards, long loadedAt) {}

  private volatile @Nullable CachedCards cached;

  private List<Card> activeCards() {
    CachedCards c = cached;
    if (c != null && System.nanoTime() - c.loadedAt() < CARDS_TTL.toNanos()) {
      return c.cards();
    }
    List<Card> cards = list(true);
    cached = new CachedCards(cards, System.nanoTime());
    return cards;
  }

  // ---- definitions ----

  Card create(Card content) {
    Instant now = clock.instant();
    Card card =
        new Card(
            ids.next(),
            content.name(),
            content.slots(),
            content.skus(),
            content.articleGroups(),
            content.promotionId(),
            content.active(),
            now);
    jdbc.sql(
            """
            insert into stamp_cards (id, name, slots, skus, article_groups, promotion_id, active,
                                     created_at, updated_at)
            values (?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)),
                    array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?)
            """)
        .params(
            card.id(),
            card.name(),
            card.slots(),
            json.writeValueAsString(card.skus()),
            json.writeValueAsString(card.articleGroups()),
            card.promotionId(),
            card.active(),
            Timestamp.from(now),
            Timestamp.from(now))
        .update();
    cached = null;
    return card;
  }

  /** Replaces a definition's content; stamps already given stay. */
  Optional<Card> replace(UUID id, Card content) {
    int changed =
        jdbc.sql(
                """
                update stamp_cards set name = ?, slots = ?,
                    skus = array(select jsonb_array_elements_text(?::jsonb)),
                    article_groups = array(select jsonb_array_elements_text(?::jsonb)),
                    promotion_id = ?, active = ?, updated_at = ?
                where id = ?
                """)
            .params(
                content.name(),
                content.slots(),
                json.writeValueAsString(content.skus()),
                json.writeValueAsString(content.articleGroups()),
                content.promotionId(),
                content.active(),
                Timestamp.from(clock.instant()),
                id)
            .update();
    cached = null;
    return changed == 0 ? Optional.empty() : find(id);
  }

  Optional<Card> find(UUID id) {
    return jdbc.sql("select * from stamp_cards where id = ?")
        .param(id)
        .query(StampCards::card)
        .optional();
  }

  List<Card> list(boolean activeOnly) {
    return jdbc.sql(
            "select * from stamp_cards"
                + (activeOnly ? " where active" : "")
                + " order by created_at")
        .query(StampCards::card)
        .list();
  }

  // Reads the promotions module's table: a card may only name a promotion that exists.
  boolean promotionExists(UUID promotionId) {
    return jdbc.sql("select exists (select 1 from promotions where id = ?)")
        .param(promotionId)
        .query(Boolean.class)
        .single();
  }

  /** The member's active cards, each with its progress (a card not yet started is empty). */
  List<Progress> of(UUID contactId) {
    return jdbc.sql(
            """
            select c.*, coalesce(p.stamps, 0) as p_stamps, coalesce(p.completed, 0) as p_completed
            from stamp_cards c
            left join stamp_card_progress p on p.card_id = c.id and p.contact_id = ?
            where c.active order by c.created_at
            """)
        .param(contactId)
        .query(
            (rs, n) -> new Progress(card(rs, n), rs.getInt("p_stamps"), rs.getInt("p_completed")))
        .list();
  }

  // ---- counting receipts ----

  /**
   * Counts a receipt as it is applied, in its transaction. A full card's promotion is assigned in a
   * savepoint: a promotion that cannot be assigned (ended meanwhile) never fails the receipt.
   */
  @EventListener
  void onReceiptsProcessed(DomainEvents batch) {
    batch.events().forEach(this::onReceiptProcessed);
  }

  /** As {@link #onReceiptsProcessed}, for one event published alone. */
  @EventListener
  void onReceiptProcessed(DomainEvent event) {
    UUID contactId = event.contactId();
    if (!event.type().equals("receipt.processed")
        || contactId == null
        || !(event.data().get("receiptId") instanceof String receiptText)) {
      return;
    }
    List<Card> cards = activeCards();
    if (cards.isEmpty()) {
      return;
    }
    UUID receiptId = UUID.fromString(receiptText);
    Instant now = clock.instant();
    int inserted =
        jdbc.sql(
                "insert into stamp_card_receipts (receipt_id, counted_at) values (?, ?)"
                    + " on conflict do nothing")
            .params(receiptId, Timestamp.from(now))
            .update();
    if (inserted == 0) {
      return;
    }
    // Reads the loyalty module's receipt: its raw items carry the skus and article groups.
    String payload =
        jdbc.sql("select payload::text from receipts where id = ?")
            .param(receiptId)
            .query(String.class)
            .single();
    JsonNode items = json.readTree(payload).path("items");
    // A line without its article group takes the one of the product data export.
    Map<String, Article> catalogue =
        cards.stream().anyMatch(c -> !c.articleGroups().isEmpty())
            ? articles.bySku(
                java.util.stream.StreamSupport.stream(items.spliterator(), false)
                    .map(i -> i.path("sku").asString(""))
                    .toList())
            : Map.of();
    for (Card card : cards) {
      if (card.createdAt().isAfter(now)) {
        continue;
      }
      int stamps = stamps(card, items, catalogue);
      if (stamps != 0) {
        for (int i = stamp(contactId, card, stamps); i > 0; i--) {
          grant(contactId, card.promotionId());
        }
      }
    }
  }

  /** The stamps a receipt's items give a card: purchases add, returns take away. */
  static int stamps(Card card, JsonNode items, Map<String, Article> catalogue) {
    int stamps = 0;
    for (JsonNode item : items) {
      String sku = item.path("sku").asString("");
      String group = item.path("articleGroup").asString("");
      Article article = catalogue.get(sku);
      if (group.isEmpty() && article != null && article.articleGroup() != null) {
        group = article.articleGroup();
      }
      if (!card.skus().contains(sku) && !card.articleGroups().contains(group)) {
        continue;
      }
      BigDecimal quantity =
          item.path("quantity").isNumber() ? item.path("quantity").decimalValue() : BigDecimal.ZERO;
      int pieces = quantity.abs().intValue();
      String type = item.path("type").asString("");
      if (type.equalsIgnoreCase("PURCHASE")) {
        stamps += pieces;
      } else if (type.equalsIgnoreCase("RETURN")) {
        stamps -= pieces;
      }
    }
    return stamps;
  }

  /**
   * Adds (or for returns removes) stamps on the member's current card.
   *
   * @return how many cards this filled; a return never takes back a completed card
   */
  private int stamp(UUID contactId, Card card, int stamps) {
    Instant now = clock.instant();
    jdbc.sql(
            """
            insert into stamp_card_progress (contact_id, card_id, stamps, completed, updated_at)
            values (?, ?, 0, 0, ?) on conflict do nothing
            """)
        .params(contactId, card.id(), Timestamp.from(now))
        .update();
    int[] current =
        jdbc.sql(
                "select stamps, completed from stamp_card_progress"
                    + " where contact_id = ? and card_id = ? for update")
            .params(contactId, card.id())
            .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2)})
            .single();
    int total = Math.max(0, current[0] + stamps);
    int full = total / card.slots();
    jdbc.sql(
            "update stamp_card_progress set stamps = ?, completed = ?, updated_at = ?"
                + " where contact_id = ? and card_id = ?")
        .params(total % card.slots(), current[1] + full, Timestamp.from(now), contactId, card.id())
        .update();
    return full;
  }

  // A failed assignment must not undo the stamps nor fail the receipt: it runs in a savepoint.
  // Assigning is idempotent: a second full card while the first promotion is unused adds nothing.
  private void grant(UUID contactId, UUID promotionId) {
    try {
      savepoint.executeWithoutResult(tx -> promotions.assign(contactId, promotionId));
    } catch (ApiException e) {
      log.warn("a full stamp card could not assign promotion {}: {}", promotionId, e.errorCode());
    }
  }

  private static Card card(ResultSet rs, int row) throws SQLException {
    return new Card(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        rs.getInt("slots"),
        StorefrontCatalog.texts(rs.getArray("skus")),
        StorefrontCatalog.texts(rs.getArray("article_groups")),
        rs.getObject("promotion_id", UUID.class),
        rs.getBoolean("active"),
        rs.getTimestamp("created_at").toInstant());
  }

  /** A definition as the admin API shows it. */
  static Map<String, Object> view(Card c) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", c.id().toString());
    m.put("name", c.name());
    m.put("slots", c.slots());
    m.put("skus", c.skus());
    m.put("articleGroups", c.articleGroups());
    m.put("promotionId", c.promotionId().toString());
    m.put("active", c.active());
    return m;
  }
}
