package org.stamkund.server.storefront;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Shops of the Loyalty API as configured with {@code PUT /admin/shops/{id}}, in loyalty_shops. */
@Component
class LoyaltyShops {

  /** The shop of a loyalty key without a binding. */
  static final String DEFAULT = "default";

  /**
   * A shop.
   *
   * @param currencies the currencies every voucher must be priced in
   * @param discountCodes the codes the shop has for ECOM EXTERNALOFFER promotions
   */
  record Shop(String id, List<String> currencies, List<String> discountCodes) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  LoyaltyShops(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  Optional<Shop> find(String id) {
    return jdbc.sql("select * from loyalty_shops where id = ?")
        .param(id)
        .query(
            (rs, n) ->
                new Shop(
                    rs.getString("id"),
                    StorefrontCatalog.texts(rs.getArray("currencies")),
                    StorefrontCatalog.texts(rs.getArray("discount_codes"))))
        .optional();
  }

  Shop save(Shop shop) {
    jdbc.sql(
            """
            insert into loyalty_shops (id, currencies, discount_codes, updated_at)
            values (?, array(select jsonb_array_elements_text(?::jsonb)),
                    array(select jsonb_array_elements_text(?::jsonb)), now())
            on conflict (id) do update set currencies = excluded.currencies,
                discount_codes = excluded.discount_codes, updated_at = now()
            """)
        .params(
            shop.id(),
            json.writeValueAsString(shop.currencies()),
            json.writeValueAsString(shop.discountCodes()))
        .update();
    return shop;
  }
}
