package org.stamkund.server.apikeys;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;

/** {@code /admin/api-keys}: create (secret shown once), list without secrets, revoke. */
@RestController
@RequestMapping("/admin/api-keys")
@Tag(name = "Admin: API keys")
class ApiKeysController {

  private final ApiKeyManagement keys;

  ApiKeysController(ApiKeyManagement keys) {
    this.keys = keys;
  }

  /** Request to create a key. */
  record CreateKey(
      @Nullable String name, @Nullable List<String> scopes, @Nullable String binding) {}

  /** Request to bind a key to a storefront or shop; null unbinds. */
  record Binding(@Nullable String binding) {}

  /** A key as listed; {@code key} (the secret) is only present in the answer to its creation. */
  record KeyView(
      UUID id,
      String name,
      List<String> scopes,
      String prefix,
      Instant createdAt,
      @Nullable String binding,
      @Nullable String key) {

    static KeyView of(ApiKey key, @Nullable String secret) {
      return new KeyView(
          key.id(),
          key.name(),
          key.scopes().stream().map(Scope::wireName).sorted().toList(),
          key.prefix(),
          key.createdAt(),
          key.binding(),
          secret);
    }
  }

  @PostMapping
  @Operation(summary = "Create an API key; its secret is in `key`, shown only in this answer")
  ResponseEntity<KeyView> create(@RequestBody(required = false) @Nullable CreateKey request) {
    if (request == null) {
      throw ApiException.badField("NoData", "body", "send {\"name\": …, \"scopes\": [\"engage\"]}");
    }
    String name = request.name();
    if (name == null || name.isBlank() || name.length() > 200) {
      throw ApiException.badField("InvalidName", "name", "a name of 1-200 characters is required");
    }
    List<String> requested = request.scopes();
    if (requested == null || requested.isEmpty()) {
      throw ApiException.badField(
          "InvalidScopes", "scopes", "at least one of engage, storefront, loyalty, admin");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (int i = 0; i < requested.size(); i++) {
      String raw = requested.get(i);
      int index = i;
      scopes.add(
          Scope.fromWire(raw == null ? "" : raw)
              .orElseThrow(
                  () ->
                      ApiException.badField(
                          "InvalidScope",
                          "scopes[" + index + "]",
                          "unknown scope; use engage, storefront, loyalty or admin")));
    }
    ApiKeyManagement.Created created =
        keys.create(name.strip(), scopes, binding(request.binding()));
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(KeyView.of(created.key(), created.secret()));
  }

  @GetMapping
  @Operation(summary = "List active API keys, without secrets")
  List<KeyView> list() {
    return keys.list().stream().map(k -> KeyView.of(k, null)).toList();
  }

  @PutMapping("/{id}/binding")
  @Operation(
      summary = "Bind a key to one storefront (storefront scope) or shop (loyalty scope)",
      description =
          "{\"binding\": \"my-shop\"}; null unbinds, and an unbound key acts for the default"
              + " storefront or shop.")
  ResponseEntity<Map<String, Object>> bind(
      @PathVariable UUID id, @RequestBody(required = false) @Nullable Binding request) {
    if (request == null) {
      throw ApiException.badField("NoData", "body", "send {\"binding\": \"storefront-or-shop\"}");
    }
    if (!keys.bind(id, binding(request.binding()))) {
      throw ApiException.notFound("ApiKeyNotFound", "no active API key " + id);
    }
    return ResponseEntity.noContent().build();
  }

  private static @Nullable String binding(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String id = raw.strip();
    if (!id.matches("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")) {
      throw ApiException.badField(
          "InvalidBinding",
          "binding",
          "1-64 letters, digits, '.', '_' or '-', starting alphanumeric");
    }
    return id;
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Revoke an API key at once")
  ResponseEntity<Map<String, Object>> revoke(@PathVariable UUID id) {
    if (!keys.revoke(id)) {
      throw ApiException.notFound("ApiKeyNotFound", "no active API key " + id);
    }
    return ResponseEntity.noContent().build();
  }
}
