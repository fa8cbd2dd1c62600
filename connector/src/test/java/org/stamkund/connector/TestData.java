package org.stamkund.connector;

import java.math.BigDecimal;
import java.util.List;

/** Fixtures. */
public final class TestData {

  private TestData() {}

  public static Receipt receipt(String id) {
    return Receipt.purchase(
        id, "S-1", "SEK", List.of(Receipt.Item.purchase("sku-1", 1, new BigDecimal("100.00"))));
  }

  public static String contactJson(String id, String type, String email, String phone) {
    return "{\"id\":\""
        + id
        + "\",\"attributes\":{\"contactType\":\""
        + type
        + "\",\"email\":\""
        + email
        + "\",\"mobilePhone\":\""
        + phone
        + "\",\"memberNumber\":\"M-"
        + id
        + "\"},\"meta\":{\"contactType\":\""
        + type
        + "\"}}";
  }
}
