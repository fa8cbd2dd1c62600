package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;

/** Consent definitions: managed under {@code /admin/consents}, read at {@code /api/v2/consents}. */
@RestController
class ConsentsController {

  private final ConsentCatalog catalog;

  ConsentsController(ConsentCatalog catalog) {
    this.catalog = catalog;
  }

  /** A definition as sent: {@code {"name": …, "metaData": {"displayText": {"sv-SE": …}}}}. */
  record ConsentBody(@Nullable String name, @Nullable Map<String, Object> metaData) {}

  @GetMapping("/api/v2/consents")
  @Tag(name = "Consents")
  @Operation(summary = "Consent definitions of the tenant")
  List<ConsentCatalog.ConsentDefinition> engageList() {
    return catalog.all();
  }

  @GetMapping("/admin/consents")
  @Tag(name = "Admin: consents")
  @Operation(summary = "List consent definitions")
  List<ConsentCatalog.ConsentDefinition> list() {
    return catalog.all();
  }

  @PutMapping("/admin/consents/{id}")
  @Tag(name = "Admin: consents")
  @Operation(
      summary = "Create or replace a consent definition",
      description =
          "metaData holds displayText, linkText and conditionText, each a map of locale to text."
              + " 201 when created, 200 when replaced.")
  ResponseEntity<ConsentCatalog.ConsentDefinition> put(
      @PathVariable String id, @RequestBody(required = false) @Nullable ConsentBody body) {
    if (!id.matches("^[A-Za-z0-9_.-]{1,100}$")) {
      throw ApiException.badField(
          "InvalidConsentId", "id", "1-100 letters, digits, '_', '.' or '-'");
    }
    if (body == null || body.name() == null || body.name().isBlank()) {
      throw ApiException.badField("InvalidName", "name", "a consent needs a name");
    }
    ConsentCatalog.ConsentDefinition definition =
        new ConsentCatalog.ConsentDefinition(
            id, body.name().strip(), body.metaData() == null ? Map.of() : body.metaData());
    boolean created = catalog.put(definition);
    return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(definition);
  }

  @DeleteMapping("/admin/consents/{id}")
  @Tag(name = "Admin: consents")
  @Operation(summary = "Delete a consent definition no contact has answered")
  ResponseEntity<Void> delete(@PathVariable String id) {
    if (catalog.delete(id)) {
      return ResponseEntity.noContent().build();
    }
    if (catalog.inUse(id)) {
      throw ApiException.conflict("ConsentInUse", "contacts have answered consent '" + id + "'");
    }
    throw ApiException.notFound("ConsentNotFound", "no consent definition '" + id + "'");
  }
}
