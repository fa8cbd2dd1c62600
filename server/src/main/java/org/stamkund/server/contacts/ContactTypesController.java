package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.contacts.AttributeDefinition;
import org.stamkund.engine.contacts.AttributeType;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.engine.contacts.ContactTypeRules;
import org.stamkund.engine.contacts.StandardAttribute;
import org.stamkund.server.platform.ApiException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /admin/contact-types}: the data models of contacts, with their keys, mandatory fields and
 * custom attributes. The keys of a type cannot change while it has contacts.
 */
@RestController
@RequestMapping("/admin/contact-types")
@Tag(name = "Admin: contact types")
class ContactTypesController {

  private final ContactTypeCatalog catalog;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  ContactTypesController(ContactTypeCatalog catalog, JdbcClient jdbc, JsonMapper json) {
    this.catalog = catalog;
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A custom attribute as sent and shown. */
  record AttributeBody(
      @Nullable String id, @Nullable String type, @Nullable List<String> choices) {}

  /** A contact type as sent and shown. */
  record ContactTypeBody(
      @Nullable String id,
      @Nullable String name,
      @Nullable List<String> keys,
      @Nullable List<String> mandatory,
      @Nullable List<AttributeBody> attributes) {

    static ContactTypeBody of(ContactType t) {
      return new ContactTypeBody(
          t.id(),
          t.name(),
          t.keyAttributes(),
          t.mandatoryAttributes(),
          t.customAttributes().stream()
              .map(a -> new AttributeBody(a.id(), a.type().wireName(), a.choices()))
              .toList());
    }
  }

  @GetMapping
  @Operation(summary = "List contact types")
  List<ContactTypeBody> list() {
    return catalog.all().stream().map(ContactTypeBody::of).toList();
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a contact type")
  ContactTypeBody get(@PathVariable String id) {
    return catalog.find(id).map(ContactTypeBody::of).orElseThrow(() -> notFound(id));
  }

  @PutMapping("/{id}")
  @Transactional
  @Operation(
      summary = "Create or replace a contact type",
      description =
          "Body {\"name\", \"keys\": [\"email\"], \"mandatory\": [\"firstName\"], \"attributes\":"
              + " [{\"id\": \"shoeSize\", \"type\": \"number\"}, {\"id\": \"colour\", \"type\":"
              + " \"choice\", \"choices\": [\"Red\", \"Blue\"]}]}. Types: string, number, date,"
              + " boolean, choice. 201 when created, 200 when replaced.")
  ResponseEntity<ContactTypeBody> put(
      @PathVariable String id, @RequestBody(required = false) @Nullable ContactTypeBody body) {
    if (body == null) {
      throw ApiException.badField("NoData", "body", "send the contact type as JSON");
    }
    // Lock the committed row (not the cache): waits for in-flight contact writes of this type.
    ContactType existing = lockedType(id);
    ContactType type = toType(existing == null ? id.strip() : existing.id(), body);
    ContactTypeRules.check(type);
    String customJson =
        json.writeValueAsString(
            type.customAttributes().stream()
                .map(
                    a ->
                        new ContactTypeCatalog.StoredAttribute(
                            a.id(), a.type().wireName(), a.choices()))
                .toList());
    String keys = "{" + String.join(",", type.keyAttributes()) + "}";
    String mandatory = "{" + String.join(",", type.mandatoryAttributes()) + "}";
    if (existing == null) {
      jdbc.sql(
              """
              insert into contact_types (id, name, key_attributes, mandatory_attributes,
                                         custom_attributes)
              values (?, ?, ?::text[], ?::text[], ?::jsonb)
              """)
          .params(type.id(), type.name(), keys, mandatory, customJson)
          .update();
    } else {
      if (!existing.keyAttributes().equals(type.keyAttributes()) && hasContacts(existing.id())) {
        throw ApiException.conflict(
            "ContactTypeInUse", "the keys of " + existing.id() + " cannot change: it has contacts");
      }
      jdbc.sql(
              """
              update contact_types set name = ?, key_attributes = ?::text[],
                     mandatory_attributes = ?::text[], custom_attributes = ?::jsonb,
                     updated_at = now()
              where id = ?
              """)
          .params(type.name(), keys, mandatory, customJson, type.id())
          .update();
    }
    invalidateAfterCommit();
    return ResponseEntity.status(existing == null ? HttpStatus.CREATED : HttpStatus.OK)
        .body(ContactTypeBody.of(type));
  }

  @DeleteMapping("/{id}")
  @Transactional
  @Operation(summary = "Delete a contact type without contacts (Member cannot be deleted)")
  ResponseEntity<Void> delete(@PathVariable String id) {
    ContactType type = lockedType(id);
    if (type == null) {
      throw notFound(id);
    }
    if (type.isMember()) {
      throw ApiException.conflict("ContactTypeInUse", "the Member type cannot be deleted");
    }
    if (hasContacts(type.id())) {
      throw ApiException.conflict("ContactTypeInUse", type.id() + " still has contacts");
    }
    jdbc.sql("delete from contact_types where id = ?").param(type.id()).update();
    invalidateAfterCommit();
    return ResponseEntity.noContent().build();
  }

  /** The committed type, its row locked for this transaction; null when there is none. */
  private @Nullable ContactType lockedType(String id) {
    String committedId =
        jdbc.sql("select id from contact_types where lower(id) = lower(?) for update")
            .param(id.strip())
            .query(String.class)
            .optional()
            .orElse(null);
    if (committedId == null) {
      return null;
    }
    catalog.invalidate();
    return catalog.find(committedId).orElse(null);
  }

  /** Readers must not re-cache the old definition between our invalidation and our commit. */
  private void invalidateAfterCommit() {
    org.springframework.transaction.support.TransactionSynchronizationManager
        .registerSynchronization(
            new org.springframework.transaction.support.TransactionSynchronization() {
              @Override
              public void afterCommit() {
                catalog.invalidate();
              }
            });
  }

  private boolean hasContacts(String typeId) {
    return jdbc.sql("select exists (select 1 from contacts where contact_type_id = ?)")
        .param(typeId)
        .query(Boolean.class)
        .single();
  }

  private static ContactType toType(String id, ContactTypeBody body) {
    List<Violation> violations = new ArrayList<>();
    List<AttributeDefinition> attributes = new ArrayList<>();
    List<AttributeBody> sent = body.attributes() == null ? List.of() : body.attributes();
    for (int i = 0; i < sent.size(); i++) {
      AttributeBody a = sent.get(i);
      String attributeId = a == null ? null : a.id();
      String typeName = a == null ? null : a.type();
      AttributeType attributeType =
          typeName == null ? null : AttributeType.fromWire(typeName).orElse(null);
      if (a == null || attributeId == null || attributeType == null) {
        violations.add(
            new Violation(
                "attributes[" + i + "]",
                "InvalidAttributeDefinition",
                "needs an id and a type: string, number, date, boolean or choice"));
        continue;
      }
      List<String> choices = a.choices() == null ? List.of() : a.choices();
      if (choices.stream().anyMatch(c -> c == null || c.isBlank())) {
        violations.add(
            new Violation(
                "attributes[" + i + "].choices", "InvalidAttributeDefinition", "choices are text"));
        continue;
      }
      attributes.add(new AttributeDefinition(attributeId.strip(), attributeType, choices));
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
    String name = body.name() == null || body.name().isBlank() ? id : body.name().strip();
    List<String> keys =
        body.keys() == null
            ? List.of()
            : body.keys().stream().map(ContactTypesController::canonical).toList();
    List<String> mandatory =
        body.mandatory() == null
            ? List.of()
            : body.mandatory().stream().map(ContactTypesController::canonical).toList();
    return new ContactType(id, name, keys, mandatory, attributes);
  }

  private static String canonical(@Nullable String attribute) {
    if (attribute == null) {
      return "";
    }
    return StandardAttribute.fromWire(attribute.strip())
        .map(StandardAttribute::wireName)
        .orElse(attribute.strip());
  }

  private static ApiException notFound(String id) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "ContactTypeNotFound", "no contact type '" + id + "'", Map.of());
  }
}
