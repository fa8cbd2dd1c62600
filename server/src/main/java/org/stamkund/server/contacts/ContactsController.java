package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** The Engage v2 contact operations (reference §2.1). */
@RestController
@RequestMapping(path = "/api/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Contacts", description = "Engage v2 contacts: create, read, update, delete, lookup")
class ContactsController {

  private final ContactManagement management;
  private final ContactLookup lookup;
  private final JdbcContacts contacts;
  private final ContactTypeCatalog types;
  private final StamkundProperties properties;
  private final Clock clock;

  ContactsController(
      ContactManagement management,
      ContactLookup lookup,
      JdbcContacts contacts,
      ContactTypeCatalog types,
      StamkundProperties properties,
      Clock clock) {
    this.management = management;
    this.lookup = lookup;
    this.contacts = contacts;
    this.types = types;
    this.properties = properties;
    this.clock = clock;
  }

  @PostMapping("/contacts")
  @Operation(
      summary = "Create a contact",
      description =
          "Flat attributes plus contactType (default Member), preferences and consents. 409"
              + " ApprovedContactWithKeyExists when the type's key is taken.")
  ResponseEntity<ContactView> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = ContactSchemas.Payload.class)))
          @RequestBody(required = false)
          @Nullable JsonNode body,
      @RequestHeader(name = "source", required = false) @Nullable String source,
      @RequestHeader(name = "storeExternalId", required = false) @Nullable String storeExternalId,
      @RequestHeader(name = "createAsUnapproved", required = false) @Nullable String unapproved) {
    ContactPayload payload = ContactPayload.parse(body, properties.timeZone());
    StoredContact created =
        management.create(
            payload,
            new ContactManagement.Origin(
                blankToNull(source),
                blankToNull(storeExternalId),
                "true".equalsIgnoreCase(unapproved)));
    return ResponseEntity.status(HttpStatus.CREATED).body(view(created));
  }

  @GetMapping("/contacts/{contactId}")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = ContactSchemas.View.class)))
  @Operation(summary = "Get a contact by id")
  ContactView get(@PathVariable String contactId) {
    return view(lookup.byId(ContactLookup.parseId(contactId, "contactId")));
  }

  @PostMapping("/contacts/{contactId}")
  @Operation(
      summary = "Update a contact",
      description = "Present fields overwrite, null or empty clears, absent fields stay.")
  ContactView update(
      @PathVariable String contactId,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = ContactSchemas.Payload.class)))
          @RequestBody(required = false)
          @Nullable JsonNode body) {
    UUID id = ContactLookup.parseId(contactId, "contactId");
    return view(management.update(id, ContactPayload.parse(body, properties.timeZone())));
  }

  @DeleteMapping("/contacts/{contactId}")
  @Operation(summary = "Delete a contact; afterwards it is 404")
  ResponseEntity<Void> delete(@PathVariable String contactId) {
    management.delete(ContactLookup.parseId(contactId, "contactId"));
    return ResponseEntity.ok().build();
  }

  @PostMapping("/contacts/{contactId}/promoteToMember")
  @Operation(summary = "Make a contact a Member, supplying the attributes a Member needs")
  ContactView promote(
      @PathVariable String contactId,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = ContactSchemas.Payload.class)))
          @RequestBody(required = false)
          @Nullable JsonNode body) {
    UUID id = ContactLookup.parseId(contactId, "contactId");
    ContactPayload payload =
        body == null || body.isNull() || body.isMissingNode()
            ? new ContactPayload(Map.of(), null, Map.of(), java.util.List.of())
            : ContactPayload.parse(body, properties.timeZone());
    return view(management.promoteToMember(id, payload));
  }

  @PostMapping("/contacts/{contactId}/updateContactType")
  @Operation(summary = "Move a contact to another (non-Member) contact type")
  ResponseEntity<Void> updateContactType(
      @PathVariable String contactId,
      @RequestParam(required = false) @Nullable String contactTypeId) {
    if (contactTypeId == null || contactTypeId.isBlank()) {
      throw ApiException.badField("MissingParameter", "contactTypeId", "is required");
    }
    management.changeType(ContactLookup.parseId(contactId, "contactId"), contactTypeId);
    return ResponseEntity.ok().build();
  }

  @PostMapping({
    "/contacts/{contactId}/preferences/acceptsEmail",
    "/contacts/{contactId}/preferences/acceptsSms",
    "/contacts/{contactId}/preferences/acceptsPostal"
  })
  @Operation(
      summary = "Set the e-mail, SMS or postal opt-in",
      description = "Body {\"value\": true}. Also approves an unapproved contact.")
  ContactView setPreference(
      @PathVariable String contactId,
      @RequestBody(required = false) @Nullable JsonNode body,
      jakarta.servlet.http.HttpServletRequest request) {
    String uri = request.getRequestURI();
    String preference =
        ContactPayload.PREFERENCES.stream()
            .filter(uri::contains)
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("NotFound", "no such preference"));
    return preference(contactId, preference, body);
  }

  /** The same three endpoints with the preference name in any case, as lenient clients send it. */
  @PostMapping("/contacts/{contactId}/preferences/{preference}")
  @io.swagger.v3.oas.annotations.Hidden
  ContactView anyPreference(
      @PathVariable String contactId,
      @PathVariable String preference,
      @RequestBody(required = false) @Nullable JsonNode body) {
    String canonical =
        ContactPayload.PREFERENCES.stream()
            .filter(p -> p.equalsIgnoreCase(preference))
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("NotFound", "no such preference"));
    return preference(contactId, canonical, body);
  }

  private ContactView preference(String contactId, String preference, @Nullable JsonNode body) {
    UUID id = ContactLookup.parseId(contactId, "contactId");
    JsonNode value = body == null ? null : ContactPayload.field(body, "value");
    if (value == null || !value.isBoolean()) {
      throw ApiException.badField("InvalidValue", "value", "send {\"value\": true} or false");
    }
    return view(management.setPreference(id, preference, value.booleanValue()));
  }

  @PostMapping("/contacts/{contactId}/unsubscribeEmail")
  @Operation(summary = "Unsubscribe a contact from e-mail")
  ResponseEntity<Void> unsubscribeEmail(
      @PathVariable String contactId, @RequestParam(required = false) @Nullable String messageId) {
    management.setPreference(ContactLookup.parseId(contactId, "contactId"), "acceptsEmail", false);
    return ResponseEntity.ok().build();
  }

  @PostMapping("/contacts/{contactId}/unsubscribeSms")
  @Operation(summary = "Unsubscribe a contact from SMS")
  Map<String, Object> unsubscribeSms(
      @PathVariable String contactId, @RequestParam(required = false) @Nullable String messageId) {
    management.setPreference(ContactLookup.parseId(contactId, "contactId"), "acceptsSms", false);
    return Map.of();
  }

  @GetMapping("/contacts/{contactType}/bykey")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = ContactSchemas.View.class)))
  @Operation(summary = "Get a contact by its type's key, the key in the query")
  ContactView byKeyQuery(
      @PathVariable String contactType, @RequestParam(required = false) @Nullable String keyValue) {
    if (keyValue == null || keyValue.isBlank()) {
      throw ApiException.badField("MissingParameter", "keyValue", "is required");
    }
    return view(lookup.byKey(contactType, keyValue));
  }

  @GetMapping("/contacts/{contactType}/bykey/{keyValue}")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = ContactSchemas.View.class)))
  @Operation(summary = "Get a contact by its type's key, the key in the path")
  ContactView byKeyPath(@PathVariable String contactType, @PathVariable String keyValue) {
    return view(lookup.byKey(contactType, keyValue));
  }

  @GetMapping("/contacts/{contactType}/byexternalid/{externalId}")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = ContactSchemas.View.class)))
  @Operation(summary = "Get a contact by external id")
  ContactView byExternalId(@PathVariable String contactType, @PathVariable String externalId) {
    return view(lookup.byExternalId(contactType, externalId));
  }

  @GetMapping("/contacts/count")
  @Operation(summary = "Number of approved contacts, as a bare integer")
  long count() {
    return contacts.count(null);
  }

  @GetMapping("/contacts/{contactType}/count")
  @Operation(summary = "Number of approved contacts of a type, as a bare integer")
  long countOfType(@PathVariable String contactType) {
    return contacts.count(types.require(contactType, "contactType").id());
  }

  @GetMapping("/contacts/id")
  @Operation(
      summary = "Resolve a contact id from an identifier",
      description =
          "Answers the id as a bare JSON string. 409 MultipleMatches lists the ids in"
              + " messageDetails.multipleMatchesFound.")
  JsonNode resolveId(
      @RequestParam(required = false) @Nullable String contactType,
      @RequestParam(required = false) @Nullable String email,
      @RequestParam(required = false) @Nullable String mobilePhone,
      @RequestParam(required = false) @Nullable String socialSecurityNumber,
      @RequestParam(required = false) @Nullable String customKey,
      @RequestParam(required = false) @Nullable String any) {
    UUID id =
        lookup.resolve(
            new ContactLookup.Identifiers(
                contactType, email, mobilePhone, socialSecurityNumber, customKey, any));
    return idBody(id);
  }

  private ContactView view(StoredContact contact) {
    return ContactView.of(contact, properties, clock);
  }

  /** What {@code GET /api/v2/contacts/id} answers: the id as a bare JSON string. */
  static JsonNode idBody(UUID id) {
    return StringNode.valueOf(id.toString());
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
