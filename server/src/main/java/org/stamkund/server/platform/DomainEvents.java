package org.stamkund.server.platform;

import java.util.List;

/**
 * Many {@link DomainEvent}s of one change published at once, as a bulk import's {@code
 * contact.created} for each of its contacts: one call to each listener instead of thousands (a
 * fifth of a bulk import's server time went to publishing its events one by one). The outbox writes
 * them as if published singly, in this order. A listener of {@link DomainEvent} that must see such
 * events listens to this too.
 */
public record DomainEvents(List<DomainEvent> events) {

  public DomainEvents {
    events = List.copyOf(events);
  }
}
