package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.JsonBodies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Engage v2 stores (reference §2.9, §3.8). */
@RestController
@Tag(name = "Stores")
class StoresController {

  private static final List<String> DETAILS =
      List.of(
          "timeZone",
          "locale",
          "street",
          "zipCode",
          "city",
          "county",
          "region",
          "countryCode",
          "email",
          "phoneNumber",
          "homepage",
          "senderName",
          "senderAddress",
          "adjacentZipCodes",
          "headerHtml",
          "footerHtml",
          "emailUnsubscribeText",
          "emailViewOnlineText");

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StoresController(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @GetMapping("/api/v2/stores")
  @Operation(summary = "List stores; inactive ones only with includeInactive=true")
  List<Map<String, @Nullable Object>> list(
      @RequestParam(required = false, defaultValue = "false") boolean includeInactive) {
    return stores(
        "select "
            + COLUMNS
            + " from stores"
            + (includeInactive ? "" : " where active")
            + " order by external_id",
        List.of());
  }

  @GetMapping("/api/v2/stores/{externalId}")
  @Operation(summary = "One store")
  Map<String, @Nullable Object> get(
      @PathVariable String externalId,
      @RequestParam(required = false, defaultValue = "false") boolean includeInactive) {
    return stores(
            "select "
                + COLUMNS
                + " from stores where external_id = ?"
                + (includeInactive ? "" : " and active"),
            List.of(externalId))
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("StoreNotFound", "no store " + externalId));
  }

  @PostMapping("/api/v2/stores")
  @Transactional
  @Operation(summary = "Create a store; name and externalId are required")
  Map<String, @Nullable Object> create(@RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode store = JsonBodies.object(body);
    String externalId = requiredText(store, "externalId");
    String name = requiredText(store, "name");
    int created =
        jdbc.sql(
                """
                insert into stores (external_id, name, type, active, details)
                values (?, ?, ?, ?, ?::jsonb) on conflict (external_id) do nothing
                """)
            .params(
                java.util.Arrays.asList(
                    externalId,
                    name,
                    optionalText(store, "type"),
                    !store.has("active") || store.path("active").asBoolean(true),
                    json.writeValueAsString(details(store, Map.of()))))
            .update();
    if (created == 0) {
      throw ApiException.conflict(
          "StoreAlreadyExists", "store " + externalId + " exists; update it");
    }
    return get(externalId, true);
  }

  @PostMapping("/api/v2/stores/{externalId}")
  @Transactional
  @Operation(summary = "Update a store (POST, as Engage); absent fields are untouched")
  Map<String, @Nullable Object> update(
      @PathVariable String externalId, @RequestBody(required = false) @Nullable JsonNode body) {
    JsonNode store = JsonBodies.object(body);
    Map<String, @Nullable Object> current = get(externalId, true);
    @SuppressWarnings("unchecked")
    Map<String, Object> oldDetails =
        new LinkedHashMap<>((Map<String, Object>) current.getOrDefault("details", Map.of()));
    String name = store.has("name") ? requiredText(store, "name") : (String) current.get("name");
    jdbc.sql(
            """
            update stores set name = ?, type = ?, active = ?, details = ?::jsonb, updated_at = now()
            where external_id = ?
            """)
        .params(
            java.util.Arrays.asList(
                name,
                store.has("type") ? optionalText(store, "type") : current.get("type"),
                store.has("active") ? store.path("active").asBoolean(true) : current.get("active"),
                json.writeValueAsString(details(store, oldDetails)),
                externalId))
        .update();
    return get(externalId, true);
  }

  private static final String COLUMNS = "external_id, name, type, active, details::text";

  private List<Map<String, @Nullable Object>> stores(String sql, List<Object> params) {
    return jdbc.sql(sql)
        .params(params)
        .query(
            (rs, n) ->
                view(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getBoolean(4),
                    rs.getString(5)))
        .list();
  }

  private Map<String, @Nullable Object> details(JsonNode store, Map<String, Object> old) {
    Map<String, @Nullable Object> details = new LinkedHashMap<>(old);
    for (String field : DETAILS) {
      if (store.has(field)) {
        Object value = JsonBodies.plain(store.path(field));
        if (value != null && !(value instanceof String) && !(value instanceof List<?>)) {
          throw ApiException.badField("InvalidFieldType", field, "must be text");
        }
        details.put(field, value);
      }
    }
    return details;
  }

  private Map<String, @Nullable Object> view(
      String externalId, String name, @Nullable String type, boolean active, String detailsJson) {
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("externalId", externalId);
    view.put("name", name);
    view.put("type", type);
    view.put("active", active);
    Map<String, @Nullable Object> details = JsonBodies.fields(json.readTree(detailsJson));
    for (String field : DETAILS) {
      view.put(field, details.get(field));
    }
    view.put("details", details);
    return view;
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isString() || v.stringValue().isBlank()) {
      throw ApiException.badField("MissingField", field, "is required");
    }
    if (v.stringValue().length() > 200 || v.stringValue().chars().anyMatch(c -> c < 0x20)) {
      throw ApiException.badField("InvalidValue", field, "1-200 printable characters");
    }
    return v.stringValue().strip();
  }

  private static @Nullable String optionalText(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw ApiException.badField("InvalidFieldType", field, "must be text");
    }
    return v.stringValue().strip();
  }
}
