package org.stamkund.server.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A contact as stored.
 *
 * @param attributes standard and custom attributes by canonical wire name; personal identity
 *     numbers decrypted to their normalised text, dates as {@link java.time.LocalDate}
 */
record StoredContact(
    UUID id,
    String contactTypeId,
    @Nullable Long memberNumber,
    boolean approved,
    Map<String, @Nullable Object> attributes,
    Preferences preferences,
    List<Consent> consents,
    @Nullable String source,
    Instant createdAt,
    Instant updatedAt) {

  /** The three channel opt-ins. */
  record Preferences(boolean acceptsEmail, boolean acceptsSms, boolean acceptsPostal) {}

  /** A consent the contact has given or refused. */
  record Consent(
      String id, boolean value, Instant date, @Nullable String source, @Nullable String comment) {}

  /** This contact with these consents. */
  StoredContact withConsents(List<Consent> given) {
    return new StoredContact(
        id,
        contactTypeId,
        memberNumber,
        approved,
        attributes,
        preferences,
        given,
        source,
        createdAt,
        updatedAt);
  }

  @Nullable String countryCode() {
    return (String) attributes.get("countryCode");
  }
}
