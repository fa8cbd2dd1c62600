package org.stamkund.server.orders;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The configured order and payment statuses, and the event types orders are published as. */
@Component
public class OrderStatuses {

  /** The prefix of every order event type. */
  public static final String EVENT_PREFIX = "order.";

  private final OrdersProperties properties;

  OrderStatuses(OrdersProperties properties) {
    this.properties = properties;
  }

  /** {@code order.<status>} for every configured order status. */
  public List<String> eventTypes() {
    return properties.orderStatuses().stream().map(s -> EVENT_PREFIX + s).toList();
  }

  /** The configured order status a request's value names; empty when none. */
  Optional<String> orderStatus(String raw) {
    return match(raw, properties.orderStatuses());
  }

  /** The configured payment status a request's value names; empty when none. */
  Optional<String> paymentStatus(String raw) {
    return match(raw, properties.paymentStatuses());
  }

  /** Compares letters only, ignoring case, separators and an {@code ORDER_} prefix. */
  static Optional<String> match(String raw, List<String> known) {
    String wanted = letters(raw);
    if (wanted.startsWith("order") && wanted.length() > "order".length()) {
      String rest = wanted.substring("order".length());
      Optional<String> prefixed = known.stream().filter(k -> letters(k).equals(rest)).findFirst();
      if (prefixed.isPresent()) {
        return prefixed;
      }
    }
    if (wanted.equals("canceled")) {
      wanted = "cancelled";
    }
    String w = wanted;
    return known.stream().filter(k -> letters(k).equals(w)).findFirst();
  }

  private static String letters(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
  }
}
