package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.engine.contacts.EmailAddresses;
import org.stamkund.engine.contacts.MobilePhones;
import org.stamkund.engine.contacts.PersonalIdentityNumber;
import org.stamkund.engine.contacts.PersonalIdentityNumbers;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;

/** Finds contacts by id, by their type's key, by external id and by any identifier. */
@Service
class ContactLookup {

  private final JdbcContacts contacts;
  private final ContactTypeCatalog types;
  private final StamkundProperties properties;
  private final Clock clock;

  ContactLookup(
      JdbcContacts contacts, ContactTypeCatalog types, StamkundProperties properties, Clock clock) {
    this.contacts = contacts;
    this.types = types;
    this.properties = properties;
    this.clock = clock;
  }

  /** The identifiers of a {@code /contacts/id} or {@code /contactoverview} query. */
  record Identifiers(
      @Nullable String contactType,
      @Nullable String email,
      @Nullable String mobilePhone,
      @Nullable String socialSecurityNumber,
      @Nullable String customKey,
      @Nullable String any) {}

  StoredContact byId(UUID id) {
    return contacts.find(id).orElseThrow(() -> ContactManagement.notFound(id));
  }

  static UUID parseId(String raw, String field) {
    try {
      return UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("InvalidContactId", field, "not a contact id (a GUID)");
    }
  }

  /** By the single key of a contact type, the value normalised as the key attribute demands. */
  StoredContact byKey(String contactTypeId, String keyValue) {
    ContactType type = types.require(contactTypeId, "contactType");
    if (type.keyAttributes().size() != 1) {
      throw ApiException.badField(
          "ContactTypeHasMultipleKeys",
          "contactType",
          type.id() + " has several keys; look up with /api/v2/contacts/id instead");
    }
    String attribute = type.keyAttributes().getFirst();
    return keyCandidates(attribute, keyValue, "keyValue").stream()
        .map(value -> contacts.findByKey(type.id(), attribute, value))
        .flatMap(Optional::stream)
        .findFirst()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "ContactNotFound", "no " + type.id() + " with that " + attribute));
  }

  StoredContact byExternalId(String contactTypeId, String externalId) {
    ContactType type = types.require(contactTypeId, "contactType");
    List<StoredContact> found = contacts.findByExternalId(type.id(), externalId.strip());
    if (found.isEmpty()) {
      throw ApiException.notFound("ContactNotFound", "no " + type.id() + " with that externalId");
    }
    if (found.size() > 1) {
      throw multipleMatches(found.stream().map(StoredContact::id).toList());
    }
    return found.getFirst();
  }

  /**
   * Resolves identifiers to one contact id, as {@code GET /api/v2/contacts/id} does. {@code any}
   * tries email, personal identity number, mobile phone and custom key, and searches by the first
   * the value is valid as.
   */
  UUID resolve(Identifiers q) {
    String typeId =
        q.contactType() == null ? null : types.require(q.contactType(), "contactType").id();
    String email = q.email();
    String phone = q.mobilePhone();
    String ssn = q.socialSecurityNumber();
    String customKey = q.customKey();
    String any = q.any();
    List<UUID> ids;
    if (email != null && !email.isBlank()) {
      ids = byEmail(normaliseKey("email", email, "email"), typeId);
    } else if (phone != null && !phone.isBlank()) {
      ids = byPhone(normaliseKey("mobilePhone", phone, "mobilePhone"), typeId);
    } else if (ssn != null && !ssn.isBlank()) {
      ids = bySsn(ssn, "socialSecurityNumber", typeId);
    } else if (customKey != null && !customKey.isBlank()) {
      ids = byCustomKey(customKey.strip(), typeId);
    } else if (any != null && !any.isBlank()) {
      ids = byAny(any.strip(), typeId);
    } else {
      throw ApiException.badField(
          "InvalidSearchQuery",
          "query",
          "give one of email, mobilePhone, socialSecurityNumber, customKey or any");
    }
    if (ids.isEmpty()) {
      throw ApiException.notFound("ContactNotFound", "no contact matches");
    }
    if (ids.size() > 1) {
      throw multipleMatches(ids);
    }
    return ids.getFirst();
  }

  private List<UUID> byAny(String value, @Nullable String typeId) {
    Optional<String> email = EmailAddresses.normalise(value);
    if (email.isPresent()) {
      return byEmail(email.get(), typeId);
    }
    if (!PersonalIdentityNumbers.readings(value, today()).isEmpty()) {
      return bySsn(value, "any", typeId);
    }
    Optional<String> phone = MobilePhones.normalise(value, properties.defaultCallingCode());
    if (phone.isPresent() && !value.matches("^[0-9]{1,9}$")) {
      List<UUID> ids = byPhone(phone.get(), typeId);
      if (!ids.isEmpty()) {
        return ids;
      }
    }
    return byCustomKey(value, typeId);
  }

  private List<UUID> byEmail(String email, @Nullable String typeId) {
    return contacts.idsWhere("email", email, typeId);
  }

  private List<UUID> byPhone(String phone, @Nullable String typeId) {
    return contacts.idsWhere("mobile_phone", phone, typeId);
  }

  /** By every valid reading of the number: a stored number was read with its contact's country. */
  private List<UUID> bySsn(String raw, String field, @Nullable String typeId) {
    List<PersonalIdentityNumber> readings = PersonalIdentityNumbers.readings(raw, today());
    if (readings.isEmpty()) {
      throw invalidSsn(field);
    }
    List<UUID> ids = new java.util.ArrayList<>();
    for (PersonalIdentityNumber reading : readings) {
      for (UUID id : contacts.idsWhere("ssn_index", contacts.blindIndex(reading.value()), typeId)) {
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private static ApiException invalidSsn(String field) {
    return ApiException.badField(
        "InvalidSocialSecurityNumber",
        field,
        "not a valid personnummer, samordningsnummer or HETU");
  }

  private List<UUID> byCustomKey(String value, @Nullable String typeId) {
    if (properties.customKey().equals("externalId")) {
      return contacts.idsWhere("external_id", value, typeId);
    }
    if (!value.matches("^[0-9]{1,18}$")) {
      return List.of();
    }
    return contacts.idsWhere("member_number", Long.parseLong(value), typeId);
  }

  /**
   * The stored forms a key value may have: one, or for a personal identity number valid as both
   * Swedish and Finnish, both.
   */
  List<String> keyCandidates(String attribute, String raw, String field) {
    if (attribute.equals(JdbcContacts.SSN)) {
      List<PersonalIdentityNumber> readings = PersonalIdentityNumbers.readings(raw, today());
      if (readings.isEmpty()) {
        throw invalidSsn(field);
      }
      return readings.stream().map(r -> contacts.keyValue(attribute, r.value())).toList();
    }
    return List.of(contacts.keyValue(attribute, normaliseKey(attribute, raw, field)));
  }

  /**
   * Normalises a key value as its attribute demands.
   *
   * @throws ApiException 400 with Engage's code for a malformed email, phone or personal number
   */
  String normaliseKey(String attribute, String raw, String field) {
    return switch (attribute) {
      case "email" ->
          EmailAddresses.normalise(raw)
              .orElseThrow(
                  () -> ApiException.badField("InvalidEmailAddress", field, "not a valid e-mail"));
      case "mobilePhone" ->
          MobilePhones.normalise(raw, properties.defaultCallingCode())
              .orElseThrow(
                  () ->
                      ApiException.badField(
                          "InvalidPhoneNumber", field, "not a valid mobile phone number"));
      case JdbcContacts.SSN ->
          PersonalIdentityNumbers.parse(raw, null, today())
              .map(PersonalIdentityNumber::value)
              .orElseThrow(() -> invalidSsn(field));
      default -> {
        if (raw.chars().anyMatch(c -> c < 0x20)) {
          throw ApiException.badField("InvalidCharacters", field, "contains control characters");
        }
        yield raw.strip();
      }
    };
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(properties.timeZone()));
  }

  static ApiException multipleMatches(List<UUID> ids) {
    return new ApiException(
        HttpStatus.CONFLICT,
        "MultipleMatches",
        "more than one contact matches; narrow the query with contactType",
        Map.of("multipleMatchesFound", ids.stream().map(UUID::toString).toList()));
  }
}
