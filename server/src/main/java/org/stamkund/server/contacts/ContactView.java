package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.stamkund.engine.contacts.StandardAttribute;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * The Engage contact shape: {@code {id, attributes, meta, preferences, consents}}. Attributes hold
 * every standard attribute (null when unset), {@code memberNumber} as a string, the derived {@code
 * age}, then the custom ones.
 *
 * <p>The view writes itself straight to JSON: a key lookup answers with it, and building a map
 * first cost a tenth of a lookup's server CPU (docs/performance.md). {@link #asMap()} gives the
 * same content as a map for answers that add to it.
 */
final class ContactView extends JacksonSerializable.Base {

  /** Names written before the custom attributes; a custom attribute never repeats one. */
  private static final Set<String> LEADING = leading();

  private static final JsonMapper MAPS =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private final StoredContact contact;
  private final ZoneId zone;
  private final LocalDate today;

  private ContactView(StoredContact contact, ZoneId zone, LocalDate today) {
    this.contact = contact;
    this.zone = zone;
    this.today = today;
  }

  /** The view as of today in the club's time zone. */
  static ContactView of(StoredContact c, StamkundProperties properties, Clock clock) {
    return of(c, properties.timeZone(), LocalDate.now(clock.withZone(properties.timeZone())));
  }

  static ContactView of(StoredContact c, ZoneId zone, LocalDate today) {
    return new ContactView(c, zone, today);
  }

  /** The same content as a map, in the same order. */
  Map<String, Object> asMap() {
    return MAPS.convertValue(this, new TypeReference<Map<String, Object>>() {});
  }

  @Override
  public void serialize(JsonGenerator gen, SerializationContext context) {
    StoredContact c = contact;
    gen.writeStartObject();
    gen.writeStringProperty("id", c.id().toString());

    gen.writeName("attributes");
    gen.writeStartObject();
    gen.writeStringProperty("contactType", c.contactTypeId());
    for (StandardAttribute a : StandardAttribute.values()) {
      switch (a) {
        case MEMBER_NUMBER ->
            gen.writeStringProperty(
                a.wireName(), c.memberNumber() == null ? null : c.memberNumber().toString());
        case AGE -> {
          Integer age = age(c, today);
          if (age == null) {
            gen.writeNullProperty(a.wireName());
          } else {
            gen.writeNumberProperty(a.wireName(), age);
          }
        }
        default -> writeValue(gen, context, a.wireName(), c.attributes().get(a.wireName()));
      }
    }
    for (Map.Entry<String, @Nullable Object> attribute : c.attributes().entrySet()) {
      if (!LEADING.contains(attribute.getKey())) {
        writeValue(gen, context, attribute.getKey(), attribute.getValue());
      }
    }
    gen.writeEndObject();

    gen.writeName("meta");
    gen.writeStartObject();
    gen.writeStringProperty("contactType", c.contactTypeId());
    gen.writeBooleanProperty("approved", c.approved());
    gen.writeStringProperty("source", c.source());
    gen.writeStringProperty("createdOn", WireTime.format(c.createdAt(), zone));
    gen.writeStringProperty("modifiedOn", WireTime.format(c.updatedAt(), zone));
    gen.writeEndObject();

    gen.writeName("preferences");
    gen.writeStartObject();
    gen.writeBooleanProperty("acceptsEmail", c.preferences().acceptsEmail());
    gen.writeBooleanProperty("acceptsSms", c.preferences().acceptsSms());
    gen.writeBooleanProperty("acceptsPostal", c.preferences().acceptsPostal());
    gen.writeEndObject();

    gen.writeName("consents");
    gen.writeStartArray();
    for (StoredContact.Consent consent : c.consents()) {
      gen.writeStartObject();
      gen.writeStringProperty("id", consent.id());
      gen.writeBooleanProperty("value", consent.value());
      gen.writeStringProperty("date", WireTime.format(consent.date(), zone));
      gen.writeStringProperty("source", consent.source());
      gen.writeStringProperty("comment", consent.comment());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  @Override
  public void serializeWithType(
      JsonGenerator gen, SerializationContext context, TypeSerializer typeSerializer) {
    serialize(gen, context);
  }

  private static void writeValue(
      JsonGenerator gen, SerializationContext context, String name, @Nullable Object value) {
    gen.writeName(name);
    switch (value) {
      case null -> gen.writeNull();
      case String text -> gen.writeString(text);
      case LocalDate date -> gen.writeString(date.toString());
      default -> context.writeValue(gen, value);
    }
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

  private static Set<String> leading() {
    Set<String> names = new HashSet<>();
    names.add("contactType");
    for (StandardAttribute a : StandardAttribute.values()) {
      names.add(a.wireName());
    }
    return Set.copyOf(names);
  }
}
