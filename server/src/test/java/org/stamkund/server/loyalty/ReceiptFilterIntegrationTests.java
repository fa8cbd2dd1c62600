package org.stamkund.server.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.stamkund.server.Api;
import org.stamkund.server.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receipts registered before Spring MVC: a receipt registered or refused is answered by the filter
 * itself, with what the controller answers; everything else is left to the controller, with its
 * body.
 */
class ReceiptFilterIntegrationTests extends IntegrationTest {

  /** Over HTTP, a charset other than UTF-8 sends a receipt (in ASCII) through the controller. */
  private static final Map<String, String> VIA_CONTROLLER =
      Map.of("Content-Type", "application/json;charset=ISO-8859-1");

  @Autowired ReceiptFilter filter;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void aReceiptIsRegisteredByTheFilterAndTheSameReceiptAgainHasNoEffect() throws Exception {
    LoyaltyFixtures.Contact member = LoyaltyFixtures.member(api);
    LoyaltyFixtures.Receipt receipt =
        LoyaltyFixtures.receipt(member.email()).purchase("A", "120.00");

    Filtered answered = filter(json.writeValueAsBytes(receipt.body()), "application/json", null);

    assertThat(answered.passedOn()).isNull();
    assertThat(answered.response().getStatus()).isEqualTo(202);
    assertThat(answered.response().getContentAsByteArray()).isEmpty();
    assertThat(answered.response().getContentType()).isNull();
    assertThat(stored(receipt)).isEqualTo(1);
    assertThat(LoyaltyFixtures.balance(api, member.id())).isEqualTo(120);

    Api.Response again = api.post("/api/v2/receipts", receipt.body());
    Api.Response viaController = api.post("/api/v2/receipts", receipt.body(), VIA_CONTROLLER);
    assertThat(again.status()).isEqualTo(202);
    assertThat(viaController.status()).isEqualTo(202);
    assertThat(again.text()).isEqualTo(viaController.text()).isEmpty();
    assertThat(again.headers().get("content-type")).isNull();
    assertThat(stored(receipt)).isEqualTo(1);
    assertThat(LoyaltyFixtures.balance(api, member.id())).isEqualTo(120);
  }

  @Test
  void aRefusedReceiptIsAnsweredWithTheControllersErrorAndWritesNothing() throws Exception {
    LoyaltyFixtures.Contact member = LoyaltyFixtures.member(api);
    LoyaltyFixtures.Receipt future =
        LoyaltyFixtures.receipt(member.email())
            .purchase("A", "100.00")
            .set("createdDate", OffsetDateTime.now().plusDays(3).toString());
    LoyaltyFixtures.Receipt noStore =
        LoyaltyFixtures.receipt(member.email()).purchase("A", "100.00").without("storeExternalId");

    Filtered answered = filter(json.writeValueAsBytes(future.body()), "application/json", null);
    Api.Response viaController = api.post("/api/v2/receipts", future.body(), VIA_CONTROLLER);

    assertThat(answered.passedOn()).isNull();
    assertThat(viaController.status()).as(viaController.toString()).isEqualTo(422);
    assertThat(viaController.errorCode()).isEqualTo("InvalidDate");
    assertThat(answered.response().getStatus()).isEqualTo(422);
    assertThat(answered.response().getContentType()).isEqualTo("application/json");
    assertThat(viaController.headers().get("content-type")).containsExactly("application/json");
    assertThat(answered.response().getContentAsString()).isEqualTo(viaController.text());
    assertThat(stored(future)).isZero();

    // Rules broken in the payload: the controller lists every violation, as for any request.
    byte[] incomplete = json.writeValueAsBytes(noStore.body());
    assertThat(filter(incomplete, "application/json", null).passedOn()).isEqualTo(incomplete);
    Api.Response direct = api.post("/api/v2/receipts", noStore.body());
    Api.Response controller = api.post("/api/v2/receipts", noStore.body(), VIA_CONTROLLER);
    assertThat(direct.status()).as(direct.toString()).isBetween(400, 499);
    assertThat(direct.status()).isEqualTo(controller.status());
    assertThat(direct.text()).isEqualTo(controller.text());
    assertThat(stored(noStore)).isZero();
  }

  @Test
  void whatItDoesNotServeGoesOnToTheControllerWithItsBody() throws Exception {
    LoyaltyFixtures.Contact member = LoyaltyFixtures.member(api);
    byte[] receipt =
        json.writeValueAsBytes(
            LoyaltyFixtures.receipt(member.email()).purchase("A", "100.00").body());
    byte[] notJson = "{\"uniqueReceiptId\": ".getBytes(StandardCharsets.UTF_8);

    for (Filtered passed :
        java.util.List.of(
            filter(notJson, "application/json", null),
            filter(new byte[0], "application/json", null),
            filter(receipt, "application/xml", null),
            filter(receipt, "application/json;charset=ISO-8859-1", null),
            filter(receipt, "application/json", "text/html"))) {
      assertThat(passed.passedOn()).isNotNull();
      assertThat(passed.response().getStatus()).isEqualTo(200);
    }
    assertThat(filter(notJson, "application/json", null).passedOn())
        .as("the body, to read again")
        .isEqualTo(notJson);
    assertThat(filter(receipt, "application/json; charset=utf-8", null).passedOn()).isNull();

    MockHttpServletRequest chunked = request(receipt, "application/json", null);
    chunked.removeHeader("Content-Length");
    chunked.setContent(null);
    assertThat(passedOn(chunked, new MockHttpServletResponse())).isNotNull();
    MockHttpServletRequest get = new MockHttpServletRequest("GET", ReceiptFilter.PATH);
    assertThat(passedOn(get, new MockHttpServletResponse())).isNotNull();

    // The controller then answers as always.
    Api.Response broken = api.send("POST", "/api/v2/receipts", "{\"uniqueReceiptId\": ", Map.of());
    assertThat(broken.status()).as(broken.toString()).isEqualTo(400);
    assertThat(broken.errorCode()).isEqualTo("InvalidJson");
  }

  @Test
  void receiptsAnsweredByTheFilterAreTimedUnderTheirRoute() {
    LoyaltyFixtures.Contact member = LoyaltyFixtures.member(api);
    double before = timed(ReceiptFilter.PATH, 202);

    LoyaltyFixtures.send(api, LoyaltyFixtures.receipt(member.email()).purchase("A", "10.00"));

    assertThat(timed(ReceiptFilter.PATH, 202)).isEqualTo(before + 1);
  }

  private long stored(LoyaltyFixtures.Receipt receipt) {
    return jdbc.sql("select count(*) from receipts where unique_receipt_id = ?")
        .param(receipt.uniqueReceiptId())
        .query(Long.class)
        .single();
  }

  /** The filter's answer, and the body it passed on to the controller (null when it answered). */
  private record Filtered(byte @Nullable [] passedOn, MockHttpServletResponse response) {}

  private Filtered filter(byte[] body, String contentType, @Nullable String accept)
      throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    return new Filtered(passedOn(request(body, contentType, accept), response), response);
  }

  private static MockHttpServletRequest request(
      byte[] body, String contentType, @Nullable String accept) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", ReceiptFilter.PATH);
    request.setContentType(contentType);
    request.setContent(body);
    if (accept != null) {
      request.addHeader("Accept", accept);
    }
    return request;
  }

  private byte @Nullable [] passedOn(
      MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
    AtomicReference<byte @Nullable []> passed = new AtomicReference<>();
    filter.doFilter(
        request, response, (req, res) -> passed.set(req.getInputStream().readAllBytes()));
    return passed.get();
  }
}
