package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.server.platform.StamkundProperties;

/**
 * Contacts for other modules (the storefront, the Loyalty API): read one, find Members by a key,
 * register and update through the same rules as the Engage endpoints.
 */
@Service
public class ContactDirectory {

  private final JdbcContacts contacts;
  private final ContactLookup lookup;
  private final ContactManagement management;
  private final ContactTypeCatalog types;
  private final StamkundProperties properties;
  private final Clock clock;

  ContactDirectory(
      JdbcContacts contacts,
      ContactLookup lookup,
      ContactManagement management,
      ContactTypeCatalog types,
      StamkundProperties properties,
      Clock clock) {
    this.contacts = contacts;
    this.lookup = lookup;
    this.management = management;
    this.types = types;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * A contact as other modules see it.
   *
   * @param attributes standard and custom attributes by wire name, dates as ISO text; personal
   *     identity numbers decrypted
   */
  public record Contact(
      UUID id,
      String contactTypeId,
      @Nullable Long memberNumber,
      Map<String, @Nullable Object> attributes,
      Instant createdAt) {

    /** A text attribute, or null when unset or blank. */
    public @Nullable String text(String attribute) {
      Object value = attributes.get(attribute);
      return value == null || value.toString().isBlank() ? null : value.toString();
    }
  }

  /** The contact with this id, if any. */
  public Optional<Contact> find(UUID id) {
    return contacts.find(id).map(ContactDirectory::of);
  }

  /** The Engage contact view ({@code id, attributes, meta, preferences, consents}) of a contact. */
  public Optional<Map<String, Object>> view(UUID id) {
    return contacts.find(id).map(c -> ContactView.of(c, properties.timeZone(), today()).asMap());
  }

  /**
   * Ids of the Members a key names, oldest first (at most 50).
   *
   * @param type {@code email}, {@code mobilePhone}, {@code socialSecurityNumber} or {@code
   *     externalId}
   * @param field the input field named in a 400 for a malformed value
   * @throws org.stamkund.server.platform.ApiException 400 for a malformed e-mail, phone or personal
   *     identity number
   */
  public List<UUID> membersByKey(String type, String raw, String field) {
    String typeId = types.require(ContactType.MEMBER, "contactType").id();
    return switch (type) {
      case "email" -> contacts.idsWhere("email", lookup.normaliseKey("email", raw, field), typeId);
      case "mobilePhone" ->
          contacts.idsWhere("mobile_phone", lookup.normaliseKey("mobilePhone", raw, field), typeId);
      case "socialSecurityNumber" -> {
        List<UUID> found = new ArrayList<>();
        for (String hex : lookup.keyCandidates(JdbcContacts.SSN, raw, field)) {
          for (UUID id : contacts.idsWhere("ssn_index", HexFormat.of().parseHex(hex), typeId)) {
            if (!found.contains(id)) {
              found.add(id);
            }
          }
        }
        yield found;
      }
      case "externalId" -> contacts.idsWhere("external_id", raw.strip(), typeId);
      default -> throw new IllegalArgumentException("not a member key type: " + type);
    };
  }

  /**
   * Creates a Member; joins the caller's transaction when there is one.
   *
   * @param attributes wire names to plain values, validated as {@code POST /contacts} does
   * @throws org.stamkund.engine.InvalidInputException naming invalid or missing attributes
   * @throws org.stamkund.server.platform.ApiException 409 when the Member's key is taken
   */
  public Contact registerMember(Map<String, @Nullable Object> attributes, String source) {
    ContactPayload payload =
        new ContactPayload(
            new LinkedHashMap<>(attributes), ContactType.MEMBER, Map.of(), List.of());
    return of(management.create(payload, new ContactManagement.Origin(source, null, false)));
  }

  /**
   * Updates the given attributes (absent ones untouched); joins the caller's transaction.
   *
   * @throws org.stamkund.engine.InvalidInputException naming invalid attributes
   */
  public Contact update(UUID id, Map<String, @Nullable Object> attributes) {
    ContactPayload payload =
        new ContactPayload(new LinkedHashMap<>(attributes), null, Map.of(), List.of());
    return of(management.update(id, payload));
  }

  private static Contact of(StoredContact c) {
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    c.attributes()
        .forEach((k, v) -> attributes.put(k, v instanceof LocalDate d ? d.toString() : v));
    return new Contact(c.id(), c.contactTypeId(), c.memberNumber(), attributes, c.createdAt());
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(properties.timeZone()));
  }
}
