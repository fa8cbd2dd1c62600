package org.stamkund.connector.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stamkund.connector.Backoff;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.Shopper;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StubEngine;
import org.stamkund.connector.TestData;
import tools.jackson.databind.JsonNode;

class CheckoutMembershipTests {

  @TempDir Path dir;
  private final List<String> reports = new ArrayList<>();

  private final EnrolmentReport report =
      new EnrolmentReport() {
        @Override
        public void recovered(String checkoutId, String contactId) {
          reports.add("recovered " + checkoutId + " " + contactId);
        }

        @Override
        public void needsManualFix(String checkoutId, JsonNode enrolment, String reason) {
          reports.add("manual " + checkoutId + " " + enrolment.path("email").asString());
        }
      };

  private StamkundConnector connector(StubEngine engine) {
    return StamkundConnector.builder()
        .client(
            StamkundClient.builder()
                .baseUrl(engine.url())
                .apiKey("k")
                .maxAttempts(1)
                .backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), 1))
                .build())
        .directory(dir)
        .replica(false)
        .replayBackoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1))
        .listener(new EnrolmentListener(report, OutboxListener.NONE))
        .build();
  }

  private static CheckoutCustomer customer() {
    return new CheckoutCustomer(
        "First name",
        "Last name",
        "Address 1",
        "12345",
        "City",
        "test@walleypay.se",
        "+46701234567",
        "SE",
        "510731-2323",
        true,
        false,
        false);
  }

  private static CheckoutMembership membership(StamkundConnector c) {
    return new CheckoutMembership(c, "Walley", "S-1", Duration.ofSeconds(2), 3, true);
  }

  @Test
  void aMemberFoundByPersonalIdIsReturnedWithContactIdAndMemberNumber() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      engine.on("GET /api/v2/contacts/id", 200, "\"c-1\"");
      engine.on("GET /api/v2/contacts/c-1", 200, TestData.contactJson("c-1", "Member", "a", "b"));
      Membership m = membership(c).identify(new Shopper(null, null, null, null, "510731-2323"));
      assertThat(m).isEqualTo(new Membership.Member("c-1", "M-c-1", null));
      assertThat(m.offerToApply()).isFalse();
      assertThat(engine.seen("GET", "/api/v2/contacts/id").getFirst().target())
          .contains("contactType=Member&socialSecurityNumber=510731-2323");
    }
  }

  @Test
  void scenarioOneEnrolsWithSourceAndStore() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      engine.on("GET /api/v2/contacts/id", 404, "{\"errorCode\":\"ContactNotFound\"}");
      engine.on("POST /api/v2/contacts", 201, TestData.contactJson("c-9", "Member", "a", "b"));
      CheckoutMembership flow = membership(c);
      Membership m = flow.identify(Shopper.withEmail("test@walleypay.se"));
      assertThat(m.offerToApply()).isTrue();
      MembershipOutcome out = flow.purchaseCompleted("chk-1", m, true, customer());
      assertThat(out.scenario()).isEqualTo(MembershipOutcome.Scenario.ENROLLED);
      assertThat(out.contactId()).isEqualTo("c-9");
      assertThat(out.memberNumber()).isEqualTo("M-c-9");
      StubEngine.Seen create = engine.seen("POST", "/api/v2/contacts").getFirst();
      assertThat(create.header("source")).isEqualTo("Walley");
      assertThat(create.header("storeExternalId")).isEqualTo("S-1");
      assertThat(create.body()).contains("\"acceptsEmail\":true", "\"contactType\":\"Member\"");
    }
  }

  @Test
  void scenarioThreeSendsNothing() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      MembershipOutcome out =
          membership(c).purchaseCompleted("chk-1", new Membership.NotMember(), false, customer());
      assertThat(out.scenario()).isEqualTo(MembershipOutcome.Scenario.DECLINED);
      assertThat(engine.seen()).isEmpty();
    }
  }

  @Test
  void scenarioTwoIsBufferedRetriedAndReportedWhenItGoesThrough() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      AtomicInteger calls = new AtomicInteger();
      engine.on(
          "POST /api/v2/contacts",
          s ->
              calls.incrementAndGet() == 1
                  ? StubEngine.Answer.json(503, "")
                  : StubEngine.Answer.json(201, TestData.contactJson("c-5", "Member", "a", "b")));
      MembershipOutcome out =
          membership(c).purchaseCompleted("chk-2", new Membership.NotMember(), true, customer());
      assertThat(out.scenario()).isEqualTo(MembershipOutcome.Scenario.ENROLMENT_FAILED);
      assertThat(out.retrying()).isTrue();
      assertThat(c.status().outbox().depthByKind()).containsEntry("contacts", 1L);
      c.replayNow();
      assertThat(reports).containsExactly("recovered chk-2 c-5");
      assertThat(c.status().outbox().depth()).isZero();
    }
  }

  @Test
  void scenarioTwoOutOfAttemptsIsReportedForAManualFixAndItsDataPurged() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      engine.on("POST /api/v2/contacts", 503, "");
      CheckoutMembership flow = membership(c);
      flow.purchaseCompleted("chk-3", new Membership.NotMember(), true, customer());
      for (int i = 0; i < 5; i++) {
        Thread.sleep(5);
        c.replayNow();
      }
      assertThat(reports).containsExactly("manual chk-3 test@walleypay.se");
      assertThat(c.status().outbox().dead()).isEqualTo(1);
      assertThat(c.outbox().dead(1).getFirst().request().body()).isNull();
    }
  }

  @Test
  void aBufferedEnrolmentWhoseFirstAttemptGotThroughCountsAsRecovered() throws Exception {
    try (StubEngine engine = new StubEngine();
        StamkundConnector c = connector(engine)) {
      AtomicInteger calls = new AtomicInteger();
      engine.on(
          "POST /api/v2/contacts",
          s ->
              calls.incrementAndGet() == 1
                  ? StubEngine.Answer.json(503, "")
                  : StubEngine.Answer.json(
                      409,
                      "{\"statusCode\":409,\"errorCode\":\"ApprovedContactWithKeyExists\","
                          + "\"messageDetails\":{\"contactId\":\"c-8\"}}"));
      membership(c).purchaseCompleted("chk-4", new Membership.NotMember(), true, customer());
      c.replayNow();
      assertThat(reports).containsExactly("recovered chk-4 c-8");
      assertThat(c.status().outbox().dead()).isZero();
    }
  }
}
