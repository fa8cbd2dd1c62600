package org.stamkund.server.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderStatusesTests {

  private static final List<String> KNOWN =
      List.of("created", "shipped", "partially_shipped", "cancelled");

  @Test
  void statusesMatchInAnyCaseWithAnyOrNoSeparatorAndAnOrderPrefix() {
    assertThat(OrderStatuses.match("ORDER_CREATED", KNOWN)).contains("created");
    assertThat(OrderStatuses.match("Created", KNOWN)).contains("created");
    assertThat(OrderStatuses.match(" shipped ", KNOWN)).contains("shipped");
    assertThat(OrderStatuses.match("PartiallyShipped", KNOWN)).contains("partially_shipped");
    assertThat(OrderStatuses.match("partially-shipped", KNOWN)).contains("partially_shipped");
    assertThat(OrderStatuses.match("Canceled", KNOWN)).contains("cancelled");
  }

  @Test
  void anUnconfiguredStatusMatchesNothing() {
    assertThat(OrderStatuses.match("Teleported", KNOWN)).isEmpty();
    assertThat(OrderStatuses.match("order", KNOWN)).isEmpty();
    assertThat(OrderStatuses.match("", KNOWN)).isEmpty();
  }

  @Test
  void everyConfiguredStatusIsAnEventType() {
    OrderStatuses statuses = new OrderStatuses(new OrdersProperties(KNOWN, List.of("paid")));
    assertThat(statuses.eventTypes())
        .containsExactly(
            "order.created", "order.shipped", "order.partially_shipped", "order.cancelled");
  }
}
