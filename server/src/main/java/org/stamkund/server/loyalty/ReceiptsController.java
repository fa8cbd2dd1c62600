package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v2/receipts} (reference §2.3, §3.2). */
@RestController
@Tag(name = "Receipts")
class ReceiptsController {

  private final ReceiptManagement receipts;
  private final StamkundProperties properties;

  ReceiptsController(ReceiptManagement receipts, StamkundProperties properties) {
    this.receipts = receipts;
    this.properties = properties;
  }

  @PostMapping("/api/v2/receipts")
  @Operation(
      summary = "Register a purchase or return receipt",
      description =
          "Answers 202 once the receipt, its points, returns, vouchers and the member's level are"
              + " committed. The same uniqueReceiptId again has no effect. A receipt whose key"
              + " matches no contact is kept and applied when that contact is created.")
  ResponseEntity<Void> register(@RequestBody(required = false) @Nullable JsonNode body) {
    ReceiptPayload receipt = ReceiptPayload.parse(body, properties.timeZone());
    receipts.register(
        receipt, body == null ? tools.jackson.databind.node.NullNode.getInstance() : body);
    return ResponseEntity.accepted().build();
  }
}
