package org.stamkund.server.orders;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Engage's order endpoint: the trigger of transactional messages. */
@RestController
@Tag(name = "Orders")
class OrdersController {

  static final int MAX_KEY = 200;

  private final OrderManagement management;
  private final OrderStatuses statuses;
  private final StamkundProperties properties;
  private final JsonMapper json;

  OrdersController(
      OrderManagement management,
      OrderStatuses statuses,
      StamkundProperties properties,
      JsonMapper json) {
    this.management = management;
    this.statuses = statuses;
    this.properties = properties;
    this.json = json;
  }

  @PostMapping("/api/v2/orders")
  @Operation(
      summary = "Register an order status change",
      description =
          "Validates the order (required fields, configured orderStatus and paymentStatus, items"
              + " + fees + round-off = totalGrossPrice, payments = totalGrossPrice) and publishes"
              + " the webhook event order.<status> carrying the order. Nothing is stored. 202"
              + " Accepted; 422 naming the field (TotalsDoNotAddUp, InvalidOrderStatus, …). As in"
              + " Engage a repeat is a new event, unless it carries the same Idempotency-Key"
              + " (kept 24 hours), which makes it a no-op.")
  ResponseEntity<Map<String, @Nullable Object>> register(
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
    if (key != null && key.length() > MAX_KEY) {
      throw ApiException.badField(
          "InvalidIdempotencyKey", "Idempotency-Key", "at most " + MAX_KEY + " characters");
    }
    OrderPayload order = OrderPayload.parse(body, statuses, properties.timeZone());
    management.register(order, json.writeValueAsString(body), key);
    Map<String, @Nullable Object> answer = new LinkedHashMap<>();
    answer.put("statusCode", "Accepted");
    answer.put("request", null);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
  }
}
