package org.stamkund.server.webhooks;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.stamkund.server.orders.OrderStatuses;

/**
 * The event types a subscription can name: those Stamkund publishes, and {@code <group>.*} for
 * every type of a group ({@code order.*}).
 */
@Component
class WebhookEventTypes {

  static final List<String> FIXED =
      List.of(
          "contact.created",
          "contact.updated",
          "contact.deleted",
          "contact.promoted_to_member",
          "contact.preferences_changed",
          "contact.consents_changed",
          "receipt.processed",
          "points.changed",
          "level.changed",
          "voucher.created",
          "voucher.redeemed",
          "voucher.reactivated",
          "voucher.expired",
          "promotion.assigned",
          "promotion.redeemed");

  private final OrderStatuses orders;

  WebhookEventTypes(OrderStatuses orders) {
    this.orders = orders;
  }

  List<String> all() {
    List<String> all = new ArrayList<>(FIXED);
    all.addAll(orders.eventTypes());
    return all;
  }

  boolean known(String type) {
    List<String> all = all();
    if (type.endsWith(".*")) {
      String group = type.substring(0, type.length() - 1);
      return all.stream().anyMatch(t -> t.startsWith(group));
    }
    return all.contains(type);
  }
}
