package org.stamkund.server.promotions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.stamkund.server.Api;
import tools.jackson.databind.JsonNode;

/**
 * Shared pieces of the promotion integration tests: contacts and promotions made through the API,
 * each with unique data, as the database is shared.
 */
final class PromotionFixtures {

  private PromotionFixtures() {}

  /** A new Member with a unique e-mail address; its id. */
  static String member(Api api) {
    Api.Response created =
        api.post("/api/v2/contacts", Map.of("contactType", "Member", "email", Api.uniqueEmail()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  /** A unique external id. */
  static String externalId() {
    return "it-promo-" + UUID.randomUUID();
  }

  /** An instant as ISO-8601 with an offset, {@code seconds} from now. */
  static String inSeconds(long seconds) {
    return OffsetDateTime.now(ZoneOffset.ofHours(1))
        .plusSeconds(seconds)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  /** A redemption channel as a definition takes it. */
  static Map<String, Object> channel(String type, String valueType, String value) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("valueType", valueType);
    c.put("value", value);
    return c;
  }

  /** A definition body: started an hour ago, open-ended, with these channels. */
  static Map<String, Object> definition(String externalId, List<Map<String, Object>> channels) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("externalId", externalId);
    body.put("name", "20% off next order");
    body.put("validity", Map.of("startDate", inSeconds(-3600)));
    body.put(
        "presentation",
        Map.of("heading", "Twenty off", "description", "On your next order", "link", "https://x"));
    body.put("redemptionChannels", new ArrayList<>(channels));
    return body;
  }

  /** Creates a definition; its id. */
  static String create(Api api, Map<String, Object> body) {
    Api.Response created = api.post("/api/v2/promotions/multichannels", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("id").asString();
  }

  /** Activates a definition; its definition as answered. */
  static JsonNode activate(Api api, String promotionId) {
    Api.Response activated = api.post("/admin/promotions/" + promotionId + "/activate", null);
    assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
    return activated.json();
  }

  /** An active promotion on POS (PERCENT 20) and ECOM (EXTERNALOFFER); its id. */
  static String activePosAndEcom(Api api) {
    String id =
        create(
            api,
            definition(
                externalId(),
                List.of(
                    channel("POS", "PERCENT", "20"), channel("ECOM", "EXTERNALOFFER", "RSX78"))));
    activate(api, id);
    return id;
  }

  /** Assigns a promotion to a contact; the instance's id. */
  static String assign(Api api, String contactId, String promotionId) {
    Api.Response assigned =
        api.post("/api/v2/contacts/" + contactId + "/promotions/" + promotionId + "/assign", null);
    assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
    return assigned.json().path("id").asString();
  }

  /** Redeems an instance by its id on a channel. */
  static Api.Response redeem(Api api, String instanceId, String channel) {
    return api.post(
        "/api/v2/promotions/codes/" + instanceId + "/redeem", Map.of("redemptionChannel", channel));
  }

  /** Every instance a contact holds, as the admin API shows them. */
  static JsonNode held(Api api, String contactId) {
    Api.Response all = api.get("/admin/promotions/assignments?contactId=" + contactId);
    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    return all.json();
  }
}
