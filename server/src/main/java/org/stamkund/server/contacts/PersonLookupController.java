package org.stamkund.server.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.contacts.MobilePhones;
import org.stamkund.engine.contacts.Person;
import org.stamkund.engine.contacts.PersonRegister;
import org.stamkund.engine.contacts.PersonalIdentityNumber;
import org.stamkund.engine.contacts.PersonalIdentityNumbers;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;

/** Person lookup in the population register, and the contact overview. */
@RestController
class PersonLookupController {

  private final PersonRegister register;
  private final ContactLookup lookup;
  private final List<ContactOverviewSection> sections;
  private final StamkundProperties properties;
  private final Clock clock;

  PersonLookupController(
      PersonRegister register,
      ContactLookup lookup,
      List<ContactOverviewSection> sections,
      StamkundProperties properties,
      Clock clock) {
    this.register = register;
    this.lookup = lookup;
    this.sections = sections;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping("/api/v2/personlookup/getpersonlookup")
  @Tag(name = "Person lookup")
  @Operation(
      summary = "Look a person up in the population register",
      description = "By socialSecurityNumber or phoneNumber; countryCode SE (default) or FI.")
  Map<String, @Nullable Object> personLookup(
      @RequestParam(required = false) @Nullable String socialSecurityNumber,
      @RequestParam(required = false) @Nullable String phoneNumber,
      @RequestParam(required = false) @Nullable String countryCode) {
    String country = countryCode == null || countryCode.isBlank() ? "SE" : countryCode.strip();
    if (!country.equalsIgnoreCase("SE") && !country.equalsIgnoreCase("FI")) {
      throw ApiException.badField("InvalidCountryCode", "countryCode", "SE or FI");
    }
    Person person;
    String searchKey;
    if (socialSecurityNumber != null && !socialSecurityNumber.isBlank()) {
      PersonalIdentityNumber pin =
          PersonalIdentityNumbers.parse(socialSecurityNumber, country, today())
              .orElseThrow(
                  () ->
                      ApiException.badField(
                          "InvalidSocialSecurityNumber",
                          "socialSecurityNumber",
                          "not a valid personnummer, samordningsnummer or HETU"));
      person = register.byPersonalIdentityNumber(pin).orElseThrow(PersonLookupController::none);
      searchKey = "SocialSecurityNumber";
    } else if (phoneNumber != null && !phoneNumber.isBlank()) {
      String callingCode = country.equalsIgnoreCase("FI") ? "358" : properties.defaultCallingCode();
      String e164 =
          MobilePhones.normalise(phoneNumber, callingCode)
              .orElseThrow(
                  () ->
                      ApiException.badField(
                          "InvalidPhoneNumber", "phoneNumber", "not a valid phone number"));
      person = register.byPhoneNumber(e164).orElseThrow(PersonLookupController::none);
      searchKey = "MobilePhone";
    } else {
      throw ApiException.badField(
          "InvalidSearchQuery", "query", "give socialSecurityNumber or phoneNumber");
    }
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    result.put("firstName", person.firstName());
    result.put("lastName", person.lastName());
    result.put("careOf", person.careOf());
    result.put("street", person.street());
    result.put("zipCode", person.zipCode());
    result.put("city", person.city());
    result.put("birthDay", person.birthDay() == null ? null : person.birthDay().toString());
    result.put("status", "Active");
    result.put("country", person.country());
    result.put("phoneNumber", null);
    result.put("mobilePhoneNumber", person.mobilePhone());
    result.put("gender", person.gender());
    result.put("searchKey", searchKey);
    result.put("unregisteredFromOnlineRegisterInformation", null);
    return result;
  }

  @GetMapping("/api/v2/contactoverview")
  @Tag(name = "Contacts")
  @Operation(
      summary = "A contact with everything Stamkund knows about it",
      description =
          "By contactId, or by contactType with email, socialSecurityNumber, mobilePhone,"
              + " customKey or any.")
  Map<String, Object> overview(
      @RequestParam(required = false) @Nullable String contactId,
      @RequestParam(required = false) @Nullable String contactType,
      @RequestParam(required = false) @Nullable String email,
      @RequestParam(required = false) @Nullable String mobilePhone,
      @RequestParam(required = false) @Nullable String socialSecurityNumber,
      @RequestParam(required = false) @Nullable String customKey,
      @RequestParam(required = false) @Nullable String any) {
    UUID id =
        contactId != null && !contactId.isBlank()
            ? ContactLookup.parseId(contactId, "contactId")
            : lookup.resolve(
                new ContactLookup.Identifiers(
                    contactType, email, mobilePhone, socialSecurityNumber, customKey, any));
    Map<String, Object> overview =
        new LinkedHashMap<>(
            ContactView.of(lookup.byId(id), properties.timeZone(), today()).asMap());
    for (ContactOverviewSection section : sections) {
      Object content = section.forContact(id);
      if (content != null) {
        overview.put(section.name(), content);
      }
    }
    return overview;
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(properties.timeZone()));
  }

  private static ApiException none() {
    return ApiException.notFound("PersonNotFound", "the register has no such person");
  }
}
