package org.stamkund.server.orders;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of orders: the order and payment statuses the tenant has configured (Engage answers an
 * unconfigured status with an error). Statuses are written in snake case; a request may spell them
 * in any case, with or without an {@code ORDER_} prefix ({@code ORDER_CREATED}, {@code Created}).
 *
 * @param orderStatuses each one becomes an event type {@code order.<status>}
 * @param paymentStatuses the accepted {@code paymentStatus} values
 */
@ConfigurationProperties("stamkund.orders")
record OrdersProperties(
    @DefaultValue({
          "created",
          "confirmed",
          "processing",
          "shipped",
          "partially_shipped",
          "delivered",
          "cancelled",
          "returned",
          "partially_returned",
          "refunded"
        })
        List<String> orderStatuses,
    @DefaultValue({
          "pending",
          "authorized",
          "paid",
          "success",
          "captured",
          "partially_captured",
          "unpaid",
          "failed",
          "cancelled",
          "refunded",
          "partially_refunded"
        })
        List<String> paymentStatuses) {

  OrdersProperties {
    for (String status : orderStatuses) {
      if (!status.matches("^[a-z]+(_[a-z]+)*$")) {
        throw new IllegalArgumentException(
            "stamkund.orders.order-statuses: '" + status + "' must be snake case, e.g. shipped");
      }
    }
    if (orderStatuses.isEmpty() || paymentStatuses.isEmpty()) {
      throw new IllegalArgumentException("stamkund.orders needs at least one status of each kind");
    }
    orderStatuses = List.copyOf(orderStatuses);
    paymentStatuses = List.copyOf(paymentStatuses);
  }
}
