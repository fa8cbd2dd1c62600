package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v2/transactions}: Engage's legacy receipt import with the old field names,
 * translated to a receipt and registered as one.
 */
@RestController
@Tag(name = "Receipts")
class LegacyTransactionsController {

  private final ReceiptManagement receipts;
  private final ProgramCatalog programs;
  private final StamkundProperties properties;
  private final JsonMapper json;

  LegacyTransactionsController(
      ReceiptManagement receipts,
      ProgramCatalog programs,
      StamkundProperties properties,
      JsonMapper json) {
    this.receipts = receipts;
    this.programs = programs;
    this.properties = properties;
    this.json = json;
  }

  @PostMapping("/api/v2/transactions")
  @Operation(
      summary = "Legacy receipt import",
      description =
          "{\"receipts\": [{externalId, invoiceNumber, customerKey, customerKeyType,"
              + " invoiceCreatedDate, storeNumber, storeName, currency, lines: [{articleNr,"
              + " quantity, price, type}]}]}; each receipt is handled as POST /api/v2/receipts.")
  ResponseEntity<Void> importReceipts(@RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode list = body == null ? null : body.path("receipts");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ApiException.badField("NoData", "receipts", "send {\"receipts\": [...]}");
    }
    // Every receipt is checked before any is registered: a bad one writes nothing.
    String groupCurrency = programs.current().groupCurrency();
    List<JsonNode> modern = new java.util.ArrayList<>();
    List<ReceiptPayload> parsed = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode translated = translate(list.get(i), groupCurrency);
      try {
        parsed.add(ReceiptPayload.parse(translated, properties.timeZone()));
        modern.add(translated);
      } catch (InvalidInputException e) {
        int index = i;
        throw new InvalidInputException(
            e.violations().stream()
                .map(
                    v ->
                        new Violation(
                            "receipts[" + index + "]." + v.field(), v.errorCode(), v.message()))
                .toList());
      }
    }
    for (int i = 0; i < parsed.size(); i++) {
      receipts.register(parsed.get(i), modern.get(i));
    }
    return ResponseEntity.ok().build();
  }

  private JsonNode translate(JsonNode old, String groupCurrency) {
    ObjectNode r = json.createObjectNode();
    ObjectNode contact = r.putObject("contact");
    contact.set("matchKey", old.path("customerKey"));
    contact.set("matchKeyType", old.path("customerKeyType"));
    r.set("uniqueReceiptId", old.path("externalId"));
    r.set(
        "receiptNumber",
        old.has("invoiceNumber") ? old.path("invoiceNumber") : old.path("externalId"));
    r.set("createdDate", old.path("invoiceCreatedDate"));
    r.set(
        "storeExternalId",
        old.has("storeNumber") ? old.path("storeNumber") : old.path("storeName"));
    r.put("currency", old.path("currency").asString(groupCurrency));
    ArrayNode items = r.putArray("items");
    java.math.BigDecimal total = java.math.BigDecimal.ZERO;
    for (JsonNode line : old.path("lines")) {
      ObjectNode item = items.addObject();
      String type = line.path("type").asString("PURCHASE").toUpperCase(java.util.Locale.ROOT);
      java.math.BigDecimal quantity = line.path("quantity").decimalValue(java.math.BigDecimal.ONE);
      java.math.BigDecimal price = line.path("price").decimalValue(java.math.BigDecimal.ZERO);
      boolean isReturn = type.equals("RETURN") || quantity.signum() < 0;
      item.put("type", isReturn ? "RETURN" : type.equals("DISCOUNT") ? "ADJUSTMENT" : "PURCHASE");
      item.set("sku", line.path("articleNr"));
      item.set("articleNumber", line.path("articleNr"));
      item.put(
          "articleName", line.path("articleName").asString(line.path("articleNr").asString("")));
      item.put("quantity", isReturn ? quantity.abs().negate() : quantity);
      item.put("grossPaidPrice", price.abs());
      item.put("taxAmount", 0);
      item.put("taxPercent", 0);
      total = isReturn ? total.subtract(price.abs()) : total.add(price.abs());
    }
    r.put("totalGrossPrice", total);
    r.putArray("paymentMethods");
    return r;
  }
}
