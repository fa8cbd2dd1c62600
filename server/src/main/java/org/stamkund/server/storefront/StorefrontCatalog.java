package org.stamkund.server.storefront;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Storefronts as configured with {@code PUT /admin/storefronts/{id}}, in table storefronts. */
@Component
class StorefrontCatalog {

  /** The storefront of a key without a binding. */
  static final String DEFAULT = "default";

  /** The contact attributes a storefront may require and the customer object carries. */
  static final List<String> FIELDS =
      List.of(
          "firstName",
          "lastName",
          "email",
          "mobilePhone",
          "socialSecurityNumber",
          "careOf",
          "street",
          "zipCode",
          "city",
          "countryCode");

  /** How a storefront's lookup key is matched. */
  enum LookupKey {
    EMAIL("email"),
    PHONE("mobilePhone"),
    PID("socialSecurityNumber");

    /** The contact attribute the key is matched against. */
    final String attribute;

    LookupKey(String attribute) {
      this.attribute = attribute;
    }

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Optional<LookupKey> parse(String raw) {
      return Arrays.stream(values())
          .filter(k -> k.name().equalsIgnoreCase(raw.strip()))
          .findFirst();
    }
  }

  /**
   * A storefront.
   *
   * @param countries ISO country codes whose contacts may activate; empty for every country
   * @param requiredFields attributes (of {@link #FIELDS}) an account needs
   */
  record Storefront(
      String id, LookupKey lookupKey, List<String> countries, List<String> requiredFields) {

    boolean acceptsCountry(@Nullable String countryCode) {
      return countries.isEmpty()
          || (countryCode != null && countries.contains(countryCode.toUpperCase(Locale.ROOT)));
    }
  }

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StorefrontCatalog(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<Storefront> find(String id) {
    return jdbc.sql("select * from storefronts where id = ?").param(id).query(this::map).optional();
  }

  List<Storefront> list() {
    return jdbc.sql("select * from storefronts order by id").query(this::map).list();
  }

  Storefront save(Storefront s) {
    jdbc.sql(
            """
            insert into storefronts (id, lookup_key, countries, required_fields, updated_at)
            values (?, ?, array(select jsonb_array_elements_text(?::jsonb)),
                    array(select jsonb_array_elements_text(?::jsonb)), now())
            on conflict (id) do update set lookup_key = excluded.lookup_key,
                countries = excluded.countries, required_fields = excluded.required_fields,
                updated_at = now()
            """)
        .params(
            s.id(),
            s.lookupKey().wireName(),
            json.writeValueAsString(s.countries()),
            json.writeValueAsString(s.requiredFields()))
        .update();
    return s;
  }

  private Storefront map(java.sql.ResultSet rs, int row) throws SQLException {
    return new Storefront(
        rs.getString("id"),
        LookupKey.parse(rs.getString("lookup_key")).orElse(LookupKey.EMAIL),
        texts(rs.getArray("countries")),
        texts(rs.getArray("required_fields")));
  }

  static List<String> texts(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
  }
}
