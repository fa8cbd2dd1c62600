package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Shapes of the contact payloads for the OpenAPI document only. The endpoints read raw JSON, so an
 * absent field can be told from an explicit null.
 */
final class ContactSchemas {

  private ContactSchemas() {}

  @Schema(
      name = "ContactPayload",
      description =
          "Flat attributes at the top level plus contactType, preferences and consents. Custom"
              + " attributes of the contact type go at the top level too. On update an absent"
              + " field is untouched and null or \"\" clears it; unknown fields are ignored.")
  record Payload(
      @Schema(description = "Contact type, default Member; case-insensitive", example = "Member")
          @Nullable String contactType,
      @Schema(example = "Anna") @Nullable String firstName,
      @Schema(example = "Andersson") @Nullable String lastName,
      @Schema(example = "anna@example.se") @Nullable String email,
      @Schema(
              description = "E.164; national numbers get the default calling code",
              example = "+46701234567")
          @Nullable String mobilePhone,
      @Schema(
              description =
                  "Swedish personnummer/samordningsnummer (10 or 12 digits) or Finnish HETU",
              example = "19510731-2323")
          @Nullable String socialSecurityNumber,
      @Nullable String externalId,
      @Nullable String street,
      @Nullable String zipCode,
      @Nullable String city,
      @Nullable String careOf,
      @Nullable String country,
      @Schema(example = "SE") @Nullable String countryCode,
      @Schema(example = "1951-07-31") @Nullable String birthDay,
      @Schema(allowableValues = {"Male", "Female", "Other"}) @Nullable String gender,
      @Nullable String createdInStore,
      @Nullable String store,
      @Nullable Preferences preferences,
      @Nullable List<Consent> consents) {}

  @Schema(name = "ContactPreferences")
  record Preferences(
      @Nullable Boolean acceptsEmail,
      @Nullable Boolean acceptsSms,
      @Nullable Boolean acceptsPostal) {}

  @Schema(name = "ContactConsent", description = "Once set, a consent is true or false for good")
  record Consent(
      String id,
      boolean value,
      @Schema(description = "ISO-8601, default now") @Nullable String date,
      @Nullable String source,
      @Nullable String comment) {}

  @Schema(
      name = "Contact",
      description =
          "attributes holds every standard attribute (null when unset), the custom ones,"
              + " memberNumber as a string and the derived age; meta holds contactType, approved,"
              + " source, createdOn and modifiedOn.")
  record View(
      @Schema(format = "uuid") String id,
      Map<String, Object> attributes,
      Map<String, Object> meta,
      Preferences preferences,
      List<Consent> consents) {}
}
