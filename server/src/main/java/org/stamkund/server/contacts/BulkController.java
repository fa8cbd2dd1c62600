package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** Bulk contact writes (reference §2.2). */
@RestController
@Tag(name = "Contacts: bulk")
class BulkController {

  private final BulkImport bulk;

  BulkController(BulkImport bulk) {
    this.bulk = bulk;
  }

  @PostMapping("/api/v2/contacts/bulk")
  @Operation(
      summary = "Create up to 4,000 contacts",
      description =
          "Answers the batch id as a bare JSON string; the batch is complete when the call"
              + " returns. Each row's outcome is in /api/v2/contacts/bulk/status.")
  JsonNode create(
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestParam(required = false) @Nullable String contactType) {
    return StringNode.valueOf(bulk.create(body, blankToNull(contactType)).toString());
  }

  @PatchMapping("/api/v2/contacts/bulk")
  @Operation(
      summary = "Update up to 4,000 contacts, each matched on its type's key",
      description = "Answers the batch id as a bare JSON string.")
  JsonNode update(
      @RequestBody(required = false) @Nullable JsonNode body,
      @RequestParam(required = false) @Nullable String contactType,
      @RequestParam(required = false) @Nullable Boolean avoidTriggeringExport) {
    return StringNode.valueOf(bulk.update(body, blankToNull(contactType)).toString());
  }

  @GetMapping("/api/v2/contacts/bulk/status")
  @Operation(summary = "The outcome of a batch, row by row")
  BulkImport.BatchStatus status(@RequestParam(required = false) @Nullable String batchId) {
    if (batchId == null || batchId.isBlank()) {
      throw ApiException.badField("MissingParameter", "batchId", "is required");
    }
    UUID id = ContactLookup.parseId(batchId, "batchId");
    return bulk.status(id)
        .orElseThrow(() -> ApiException.notFound("BatchNotFound", "no batch " + batchId));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
