package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.contacts.StandardAttribute;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;

/**
 * The Engage contact shape: {@code {id, attributes, meta, preferences, consents}}. Attributes hold
 * every standard attribute (null when unset), the custom ones, {@code memberNumber} as a string and
 * the derived {@code age}.
 */
final class ContactView {

  private ContactView() {}

  /** The view as of today in the club's time zone. */
  static Map<String, Object> of(StoredContact c, StamkundProperties properties, Clock clock) {
    return of(c, properties.timeZone(), LocalDate.now(clock.withZone(properties.timeZone())));
  }

  static Map<String, Object> of(StoredContact c, ZoneId zone, LocalDate today) {
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    attributes.put("contactType", c.contactTypeId());
    for (StandardAttribute a : StandardAttribute.values()) {
      attributes.put(a.wireName(), wire(c.attributes().get(a.wireName())));
    }
    attributes.put("memberNumber", c.memberNumber() == null ? null : c.memberNumber().toString());
    attributes.put("age", age(c, today));
    c.attributes()
        .forEach(
            (name, value) -> {
              if (!attributes.containsKey(name)) {
                attributes.put(name, wire(value));
              }
            });
    Map<String, @Nullable Object> meta = new LinkedHashMap<>();
    meta.put("contactType", c.contactTypeId());
    meta.put("approved", c.approved());
    meta.put("source", c.source());
    meta.put("createdOn", WireTime.format(c.createdAt(), zone));
    meta.put("modifiedOn", WireTime.format(c.updatedAt(), zone));
    Map<String, Object> preferences =
        Map.of(
            "acceptsEmail", c.preferences().acceptsEmail(),
            "acceptsSms", c.preferences().acceptsSms(),
            "acceptsPostal", c.preferences().acceptsPostal());
    List<Map<String, @Nullable Object>> consents =
        c.consents().stream()
            .map(
                consent -> {
                  Map<String, @Nullable Object> m = new LinkedHashMap<>();
                  m.put("id", consent.id());
                  m.put("value", consent.value());
                  m.put("date", WireTime.format(consent.date(), zone));
                  m.put("source", consent.source());
                  m.put("comment", consent.comment());
                  return m;
                })
            .toList();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", c.id().toString());
    view.put("attributes", attributes);
    view.put("meta", meta);
    view.put("preferences", preferences);
    view.put("consents", consents);
    return view;
  }

  private static @Nullable Object wire(@Nullable Object value) {
    return value instanceof LocalDate d ? d.toString() : value;
  }

  private static @Nullable Integer age(StoredContact c, LocalDate today) {
    LocalDate birth = null;
    if (c.attributes().get(JdbcContacts.BIRTH_DAY) instanceof LocalDate d) {
      birth = d;
    } else if (c.attributes().get(JdbcContacts.SSN) instanceof String ssn) {
      birth =
          org.stamkund.engine.contacts.PersonalIdentityNumbers.parse(ssn, c.countryCode(), today)
              .map(org.stamkund.engine.contacts.PersonalIdentityNumber::birthDate)
              .orElse(null);
    }
    return birth == null || birth.isAfter(today) ? null : Period.between(birth, today).getYears();
  }
}
