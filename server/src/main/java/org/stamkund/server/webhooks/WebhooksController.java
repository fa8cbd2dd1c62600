package org.stamkund.server.webhooks;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.JsonNode;

/** Operators' webhook endpoints: subscriptions, their deliveries and attempts, replay. */
@RestController
@Tag(name = "Admin: webhooks")
class WebhooksController {

  static final int MAX_PAGE = 500;
  static final int MAX_TYPES = 100;

  private final WebhookSubscriptions subscriptions;
  private final JdbcWebhookDeliveries deliveries;
  private final WebhookEventTypes types;
  private final StamkundProperties properties;
  private final Clock clock;

  WebhooksController(
      WebhookSubscriptions subscriptions,
      JdbcWebhookDeliveries deliveries,
      WebhookEventTypes types,
      StamkundProperties properties,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.types = types;
    this.properties = properties;
    this.clock = clock;
  }

  @PostMapping("/admin/webhooks")
  @Operation(
      summary = "Subscribe a URL to events",
      description =
          "Body {url, eventTypes}: an absolute http(s) URL and the event types to send (absent or"
              + " empty: every type; 'order.*' for a whole group). 201 with the subscription and"
              + " its signing secret, which is shown only here. 422 InvalidUrl or"
              + " UnknownEventType naming the field.")
  ResponseEntity<Map<String, Object>> create(
      @RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode b = JsonBodies.object(body);
    List<Violation> violations = new ArrayList<>();
    String url = url(b.path("url"), violations);
    List<String> eventTypes = eventTypes(b.path("eventTypes"), violations);
    if (!violations.isEmpty() || url == null) {
      throw new InvalidInputException(violations);
    }
    WebhookSubscriptions.Created created = subscriptions.create(url, eventTypes);
    Map<String, Object> view = view(created.subscription());
    view.put("secret", created.secret());
    return ResponseEntity.created(URI.create("/admin/webhooks/" + created.subscription().id()))
        .body(view);
  }

  @GetMapping("/admin/webhooks")
  @Operation(summary = "List subscriptions (without their secrets)")
  List<Map<String, Object>> list() {
    return subscriptions.all().stream().map(this::view).toList();
  }

  @GetMapping("/admin/webhooks/event-types")
  @Operation(summary = "The event types a subscription can name")
  List<String> eventTypes() {
    return types.all();
  }

  @GetMapping("/admin/webhooks/{id}")
  @Operation(
      summary = "One subscription (without its secret)",
      description = "404 WebhookNotFound.")
  Map<String, Object> get(@PathVariable String id) {
    return view(require(id));
  }

  @DeleteMapping("/admin/webhooks/{id}")
  @Operation(
      summary = "Delete a subscription",
      description = "Its pending deliveries are dropped with it. 204; 404 WebhookNotFound.")
  ResponseEntity<Void> delete(@PathVariable String id) {
    if (!subscriptions.delete(parseId(id, "id"))) {
      throw notFound();
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/admin/webhooks/{id}/deliveries")
  @Operation(
      summary = "The subscription's deliveries, newest event first",
      description =
          "Paged {items, totalCount, offset, count}; each item: eventId, type, contactId,"
              + " occurredAt, status (pending, delivered, failed), attempts, nextAttemptAt (while"
              + " pending), lastStatus, lastError, finishedAt. Filter with status=.")
  Map<String, Object> deliveries(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "100") int count) {
    UUID subscription = require(id).id();
    if (offset < 0) {
      throw ApiException.badField("InvalidOffset", "offset", "must be 0 or more");
    }
    if (count < 1 || count > MAX_PAGE) {
      throw ApiException.badField("InvalidCount", "count", "between 1 and " + MAX_PAGE);
    }
    String wanted = null;
    if (status != null && !status.isBlank()) {
      wanted = status.strip().toLowerCase(Locale.ROOT);
      if (!List.of("pending", "delivered", "failed").contains(wanted)) {
        throw ApiException.badField("InvalidStatus", "status", "pending, delivered or failed");
      }
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put(
        "items",
        deliveries.deliveries(subscription, wanted, offset, count).stream()
            .map(this::view)
            .toList());
    page.put("totalCount", deliveries.count(subscription, wanted));
    page.put("offset", offset);
    page.put("count", count);
    return page;
  }

  @GetMapping("/admin/webhooks/{id}/deliveries/{eventId}/attempts")
  @Operation(
      summary = "Every attempt of one delivery",
      description =
          "Each: attempt, attemptedAt, durationMs, httpStatus (null when no answer), error."
              + " 404 WebhookNotFound or DeliveryNotFound.")
  List<Map<String, @Nullable Object>> attempts(
      @PathVariable String id, @PathVariable String eventId) {
    UUID subscription = require(id).id();
    UUID event = parseId(eventId, "eventId");
    if (deliveries.delivery(subscription, event).isEmpty()) {
      throw deliveryNotFound();
    }
    return deliveries.attempts(subscription, event).stream()
        .map(
            a -> {
              Map<String, @Nullable Object> v = new LinkedHashMap<>();
              v.put("attempt", a.attempt());
              v.put("attemptedAt", time(a.attemptedAt()));
              v.put("durationMs", a.durationMs());
              v.put("httpStatus", a.httpStatus());
              v.put("error", a.error());
              return v;
            })
        .toList();
  }

  @PostMapping("/admin/webhooks/{id}/deliveries/{eventId}/replay")
  @Operation(
      summary = "Send one event again",
      description =
          "Queues the delivery now with a fresh retry window, whatever its status. 202 with the"
              + " delivery; 404 WebhookNotFound or DeliveryNotFound.")
  ResponseEntity<Map<String, @Nullable Object>> replay(
      @PathVariable String id, @PathVariable String eventId) {
    UUID subscription = require(id).id();
    UUID event = parseId(eventId, "eventId");
    if (!deliveries.replay(subscription, event, clock.instant())) {
      throw deliveryNotFound();
    }
    return ResponseEntity.accepted()
        .body(view(deliveries.delivery(subscription, event).orElseThrow(this::deliveryNotFound)));
  }

  @PostMapping("/admin/webhooks/{id}/replay")
  @Operation(
      summary = "Send every event of a time range again",
      description =
          "Body {from, to} (ISO-8601; to defaults to now): every event in [from, to) still kept"
              + " that the subscription wants is queued again, also events from before the"
              + " subscription existed. 202 {queued}.")
  ResponseEntity<Map<String, Object>> replayRange(
      @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
    UUID subscription = require(id).id();
    JsonNode b = JsonBodies.object(body);
    Instant from = instant(b.path("from"), "from");
    Instant to =
        b.path("to").isMissingNode() || b.path("to").isNull()
            ? clock.instant()
            : instant(b.path("to"), "to");
    if (!to.isAfter(from)) {
      throw ApiException.badField("InvalidDateRange", "to", "must be after from");
    }
    int queued = deliveries.replay(subscription, from, to, clock.instant());
    return ResponseEntity.accepted().body(Map.of("queued", queued));
  }

  private Instant instant(JsonNode node, String field) {
    if (!node.isString() || node.stringValue().isBlank()) {
      throw ApiException.badField("MissingField", field, "an ISO-8601 time is required");
    }
    return WireTime.parse(node.stringValue(), properties.timeZone())
        .orElseThrow(() -> ApiException.badField("InvalidDate", field, "use ISO-8601"));
  }

  private static @Nullable String url(JsonNode node, List<Violation> violations) {
    if (node.isMissingNode()
        || node.isNull()
        || (node.isString() && node.stringValue().isBlank())) {
      violations.add(new Violation("url", "MissingField", "is required"));
      return null;
    }
    if (!node.isString() || node.stringValue().length() > 2000) {
      violations.add(new Violation("url", "InvalidUrl", "an absolute http or https URL"));
      return null;
    }
    String raw = node.stringValue().strip();
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute()
          || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getFragment() != null) {
        violations.add(new Violation("url", "InvalidUrl", "an absolute http or https URL"));
        return null;
      }
      return raw;
    } catch (URISyntaxException e) {
      violations.add(new Violation("url", "InvalidUrl", "an absolute http or https URL"));
      return null;
    }
  }

  private List<String> eventTypes(JsonNode node, List<Violation> violations) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      violations.add(new Violation("eventTypes", "InvalidFieldType", "an array of event types"));
      return List.of();
    }
    if (node.size() > MAX_TYPES) {
      violations.add(new Violation("eventTypes", "TooManyEventTypes", "at most " + MAX_TYPES));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode t = node.get(i);
      String field = "eventTypes[" + i + "]";
      if (!t.isString() || !types.known(t.stringValue().strip().toLowerCase(Locale.ROOT))) {
        violations.add(
            new Violation(
                field, "UnknownEventType", "not an event type; see /admin/webhooks/event-types"));
        continue;
      }
      String type = t.stringValue().strip().toLowerCase(Locale.ROOT);
      if (!out.contains(type)) {
        out.add(type);
      }
    }
    return out;
  }

  private WebhookSubscriptions.Subscription require(String id) {
    return subscriptions.find(parseId(id, "id")).orElseThrow(WebhooksController::notFound);
  }

  private static UUID parseId(String raw, String field) {
    try {
      return UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("InvalidId", field, "not an id (a GUID)");
    }
  }

  private static ApiException notFound() {
    return ApiException.notFound("WebhookNotFound", "no such webhook subscription");
  }

  private ApiException deliveryNotFound() {
    return ApiException.notFound("DeliveryNotFound", "the subscription has no such delivery");
  }

  private Map<String, Object> view(WebhookSubscriptions.Subscription s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", s.id());
    v.put("url", s.url());
    v.put("eventTypes", s.eventTypes());
    v.put("createdAt", time(s.createdAt()));
    return v;
  }

  private Map<String, @Nullable Object> view(JdbcWebhookDeliveries.Delivery d) {
    Map<String, @Nullable Object> v = new LinkedHashMap<>();
    v.put("eventId", d.eventId());
    v.put("type", d.type());
    v.put("contactId", d.contactId());
    v.put("occurredAt", time(d.occurredAt()));
    v.put("status", d.status());
    v.put("attempts", d.attempts());
    v.put("nextAttemptAt", d.nextAttemptAt() == null ? null : time(d.nextAttemptAt()));
    v.put("lastStatus", d.lastStatus());
    v.put("lastError", d.lastError());
    v.put("finishedAt", d.finishedAt() == null ? null : time(d.finishedAt()));
    return v;
  }

  private String time(Instant instant) {
    return WireTime.format(instant, properties.timeZone());
  }
}
