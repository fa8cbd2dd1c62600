package org.stamkund.connector.checkout;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiResponse;
import org.stamkund.connector.Json;
import org.stamkund.connector.OutboxEntry;
import org.stamkund.connector.OutboxListener;
import org.stamkund.connector.StamkundException;
import tools.jackson.databind.JsonNode;

/**
 * The outbox listener that turns replayed enrolments into {@link EnrolmentReport} calls; give it to
 * the connector's builder. Other entries pass to {@code next}.
 */
public final class EnrolmentListener implements OutboxListener {

  static final String OPERATION = "checkout.enrol";

  private final EnrolmentReport report;
  private final OutboxListener next;

  /**
   * @param report where outcomes go
   * @param next the listener for every other entry
   */
  public EnrolmentListener(EnrolmentReport report, OutboxListener next) {
    this.report = Objects.requireNonNull(report, "report");
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void delivered(OutboxEntry entry, ApiResponse response) {
    if (!isEnrolment(entry)) {
      next.delivered(entry, response);
      return;
    }
    String id = Json.text(response.json(), "id");
    if (id != null) {
      report.recovered(checkoutId(entry), id);
    }
  }

  @Override
  public boolean refusalMeansDelivered(OutboxEntry entry, StamkundException refusal) {
    if (!isEnrolment(entry)) {
      return next.refusalMeansDelivered(entry, refusal);
    }
    // The first attempt may have gone through with its answer lost: the member exists.
    String holder = existingHolder(refusal);
    if (holder != null) {
      report.recovered(checkoutId(entry), holder);
      return true;
    }
    return false;
  }

  @Override
  public void dead(OutboxEntry entry, StamkundException lastError) {
    if (!isEnrolment(entry)) {
      next.dead(entry, lastError);
      return;
    }
    report.needsManualFix(
        checkoutId(entry),
        Json.parse(entry.request().body()),
        Objects.requireNonNullElse(lastError.getMessage(), "refused"));
  }

  static @Nullable String existingHolder(StamkundException e) {
    if (e.status() != 409 || !"ApprovedContactWithKeyExists".equals(e.errorCode())) {
      return null;
    }
    JsonNode body = Json.parse(e.body());
    JsonNode details = body.path("messageDetails");
    return details.isObject() ? Json.text(details, "contactId") : null;
  }

  private static boolean isEnrolment(OutboxEntry entry) {
    return OPERATION.equals(entry.request().operation());
  }

  private static String checkoutId(OutboxEntry entry) {
    return Objects.requireNonNullElse(entry.correlationId(), "");
  }
}
