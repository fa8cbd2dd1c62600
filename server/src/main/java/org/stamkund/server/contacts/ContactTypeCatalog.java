package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.engine.contacts.AttributeDefinition;
import org.stamkund.engine.contacts.AttributeType;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.server.platform.ApiException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contact types, read on every contact call and therefore cached; a change made on this node is
 * seen at once, one made on another node within {@link #REFRESH}.
 */
@Component
class ContactTypeCatalog {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.MIN);

  private record Snapshot(Map<String, ContactType> byLowerId, Instant loadedAt) {}

  /** The wire form of a custom attribute in the {@code custom_attributes} column. */
  record StoredAttribute(String id, String type, List<String> choices) {}

  ContactTypeCatalog(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  List<ContactType> all() {
    return current().byLowerId().values().stream()
        .sorted(java.util.Comparator.comparing(ContactType::id))
        .toList();
  }

  Optional<ContactType> find(String id) {
    Map<String, ContactType> types = current().byLowerId();
    ContactType named = types.get(id);
    // The common call names a type as its id is spelt, which lower-casing would only copy.
    return named != null && named.id().equals(id)
        ? Optional.of(named)
        : Optional.ofNullable(types.get(id.strip().toLowerCase(Locale.ROOT)));
  }

  /**
   * @throws ApiException 400 {@code InvalidContactType} naming {@code field} when there is no such
   *     type
   */
  ContactType require(String id, String field) {
    return find(id)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "InvalidContactType",
                    field + ": no contact type '" + id + "'",
                    Map.of("field", field)));
  }

  ContactType member() {
    return require(ContactType.MEMBER, "contactType");
  }

  void invalidate() {
    snapshot = new Snapshot(Map.of(), Instant.MIN);
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s.loadedAt().plus(REFRESH).isBefore(clock.instant())) {
      s = new Snapshot(load(), clock.instant());
      snapshot = s;
    }
    return s;
  }

  private Map<String, ContactType> load() {
    return jdbc
        .sql(
            """
            select id, name, key_attributes, mandatory_attributes, custom_attributes::text
            from contact_types
            """)
        .query(
            (rs, n) ->
                new ContactType(
                    rs.getString(1),
                    rs.getString(2),
                    List.of((String[]) rs.getArray(3).getArray()),
                    List.of((String[]) rs.getArray(4).getArray()),
                    json
                        .readValue(rs.getString(5), new TypeReference<List<StoredAttribute>>() {})
                        .stream()
                        .map(
                            a ->
                                new AttributeDefinition(
                                    a.id(),
                                    AttributeType.fromWire(a.type()).orElse(AttributeType.STRING),
                                    a.choices()))
                        .toList()))
        .list()
        .stream()
        .collect(
            Collectors.toUnmodifiableMap(
                t -> t.id().toLowerCase(Locale.ROOT), Function.identity()));
  }
}
