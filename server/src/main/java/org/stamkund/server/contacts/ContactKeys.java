package org.stamkund.server.contacts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.Prelude;

/**
 * Finds the contact a receipt or order names by {@code matchKey} and {@code matchKeyType}
 * (contactId, email, mobilePhone, memberNumber, externalId, socialSecurityNumber, matched
 * case-insensitively), for other modules.
 */
@Service
public class ContactKeys {

  /** The match-key types, in their canonical spelling. */
  public static final List<String> TYPES =
      List.of(
          "contactId",
          "email",
          "mobilePhone",
          "memberNumber",
          "externalId",
          "socialSecurityNumber");

  private final JdbcContacts contacts;
  private final ContactLookup lookup;
  private final ContactTypeCatalog types;

  ContactKeys(JdbcContacts contacts, ContactLookup lookup, ContactTypeCatalog types) {
    this.contacts = contacts;
    this.lookup = lookup;
    this.types = types;
  }

  /** The canonical spelling of a match-key type; empty when it is none of them. */
  public static Optional<String> canonicalType(String raw) {
    String lower = raw.strip().toLowerCase(Locale.ROOT);
    return TYPES.stream().filter(t -> t.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
  }

  /**
   * The stored form of a key: normalised e-mail or phone, the blind index of a personal identity
   * number (its Swedish reading when ambiguous), a lower-case contact id.
   *
   * @throws ApiException 400 naming {@code field} when the value is malformed for its type
   */
  public String normalise(String type, String raw, String field) {
    return switch (type) {
      case "contactId" -> ContactLookup.parseId(raw, field).toString();
      case "memberNumber" -> {
        String digits = raw.strip();
        if (!digits.matches("^[0-9]{1,18}$")) {
          throw ApiException.badField("InvalidMemberNumber", field, "a member number is digits");
        }
        yield Long.toString(Long.parseLong(digits));
      }
      case "email", "mobilePhone" -> lookup.normaliseKey(type, raw, field);
      case "socialSecurityNumber" -> lookup.keyCandidates(JdbcContacts.SSN, raw, field).getFirst();
      default -> lookup.normaliseKey("externalId", raw, field);
    };
  }

  /**
   * The one contact a key names; empty when none or several do (a receipt is then kept unmatched).
   *
   * @param contactType limits the search to one type; Member when null (except for contactId)
   */
  public Optional<UUID> resolve(String type, String raw, @Nullable String contactType) {
    if (type.equals("contactId")) {
      UUID id = ContactLookup.parseId(raw, "contact.matchKey");
      return contacts.find(id).map(StoredContact::id);
    }
    String typeId =
        types
            .require(contactType == null ? ContactType.MEMBER : contactType, "contact.contactType")
            .id();
    List<UUID> ids =
        switch (type) {
          case "memberNumber" ->
              contacts.idsWhere(
                  "member_number",
                  Long.parseLong(normalise(type, raw, "contact.matchKey")),
                  typeId);
          case "email" ->
              contacts.idsWhere("email", normalise(type, raw, "contact.matchKey"), typeId);
          case "mobilePhone" ->
              contacts.idsWhere("mobile_phone", normalise(type, raw, "contact.matchKey"), typeId);
          case "socialSecurityNumber" -> {
            List<UUID> found = new java.util.ArrayList<>();
            for (String hex : lookup.keyCandidates(JdbcContacts.SSN, raw, "contact.matchKey")) {
              found.addAll(
                  contacts.idsWhere("ssn_index", java.util.HexFormat.of().parseHex(hex), typeId));
            }
            yield found.stream().distinct().toList();
          }
          default -> contacts.idsWhere("external_id", raw.strip(), typeId);
        };
    return ids.size() == 1 ? Optional.of(ids.getFirst()) : Optional.empty();
  }

  /** A key to resolve: its type, its value as given, and the contact type it names. */
  public record Key(String type, String raw, @Nullable String contactType) {}

  /**
   * As {@link #resolve} for many keys at once: e-mails, phones and member numbers in one statement
   * per kind and contact type, other keys one by one.
   *
   * @param before run first, in the round trip of the first lookup (or alone when there is nothing
   *     to look up), so every key is read after it, as if it were a statement of its own
   * @return the one contact each key names; keys naming none or several are left out
   */
  public java.util.Map<Key, UUID> resolveAll(
      java.util.Collection<Key> keys, @Nullable Prelude before) {
    java.util.Map<Key, UUID> resolved = new java.util.HashMap<>();
    record Column(String name, String sqlType, String typeId) {}
    java.util.Map<Column, java.util.Map<Key, String>> byColumn = new java.util.LinkedHashMap<>();
    List<Key> oneByOne = new java.util.ArrayList<>();
    for (Key key : keys) {
      String column =
          switch (key.type()) {
            case "email" -> "email";
            case "mobilePhone" -> "mobile_phone";
            case "memberNumber" -> "member_number";
            default -> "";
          };
      if (column.isEmpty()) {
        oneByOne.add(key);
        continue;
      }
      String typeId =
          types
              .require(
                  key.contactType() == null ? ContactType.MEMBER : key.contactType(),
                  "contact.contactType")
              .id();
      byColumn
          .computeIfAbsent(
              new Column(column, column.equals("member_number") ? "bigint" : "text", typeId),
              c -> new java.util.HashMap<>())
          .put(key, normalise(key.type(), key.raw(), "contact.matchKey"));
    }
    Prelude pending = before;
    for (var entry : byColumn.entrySet()) {
      Column column = entry.getKey();
      java.util.Map<Key, String> values = entry.getValue();
      java.util.Map<String, List<UUID>> found =
          contacts.idsWhereAny(
              column.name(),
              column.sqlType(),
              column.sqlType().equals("bigint")
                  ? values.values().stream().distinct().map(Long::valueOf).toArray(Long[]::new)
                  : values.values().stream().distinct().toArray(String[]::new),
              column.typeId(),
              pending);
      pending = null;
      values.forEach(
          (key, value) -> {
            List<UUID> ids = found.getOrDefault(value, List.of());
            if (ids.size() == 1) {
              resolved.put(key, ids.getFirst());
            }
          });
    }
    if (pending != null) {
      contacts.runAlone(pending);
    }
    for (Key key : oneByOne) {
      resolve(key.type(), key.raw(), key.contactType()).ifPresent(id -> resolved.put(key, id));
    }
    return resolved;
  }

  /**
   * The match keys a new contact can be named by, for {@link ContactsRegistered}. A personal
   * identity number contributes every valid reading, as a receipt may have stored either.
   */
  static List<ContactsRegistered.MatchKey> matchKeysOf(
      JdbcContacts contacts, ContactLookup lookup, StoredContact c) {
    List<ContactsRegistered.MatchKey> keys = new java.util.ArrayList<>();
    keys.add(new ContactsRegistered.MatchKey("contactId", c.id().toString()));
    if (c.memberNumber() != null) {
      keys.add(new ContactsRegistered.MatchKey("memberNumber", c.memberNumber().toString()));
    }
    for (String attribute : List.of("email", "mobilePhone", "externalId")) {
      Object value = c.attributes().get(attribute);
      if (value != null) {
        keys.add(new ContactsRegistered.MatchKey(attribute, value.toString()));
      }
    }
    Object ssn = c.attributes().get(JdbcContacts.SSN);
    if (ssn != null) {
      for (String hex : lookup.keyCandidates(JdbcContacts.SSN, ssn.toString(), JdbcContacts.SSN)) {
        keys.add(new ContactsRegistered.MatchKey("socialSecurityNumber", hex));
      }
    }
    return keys;
  }
}
