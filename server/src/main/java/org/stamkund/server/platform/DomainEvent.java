package org.stamkund.server.platform;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened, for those who subscribe to it (webhooks). Publish it with Spring's
 * {@code ApplicationEventPublisher} inside the transaction that made it happen: the listener writes
 * it to the outbox in that transaction, so it is delivered exactly when the change commits.
 *
 * @param type dotted, lower case: {@code receipt.processed}, {@code contact.created}, ...
 * @param contactId the contact it concerns, which orders its delivery; null for none
 * @param data the event's body, plain JSON values (maps, lists, strings, numbers, booleans)
 */
public record DomainEvent(String type, @Nullable UUID contactId, Map<String, Object> data) {

  private static final java.util.regex.Pattern TYPE =
      java.util.regex.Pattern.compile("^[a-z]+(\\.[a-z_]+)+$");

  /** Types already checked: a handful of constants, published thousands of times a second. */
  private static final java.util.Set<String> CHECKED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public DomainEvent {
    if (!CHECKED.contains(type)) {
      if (!TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException("event type must be dotted lower case: " + type);
      }
      CHECKED.add(type);
    }
    data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
