package org.stamkund.server.contacts;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Contacts were created, published inside the creating transaction. Each carries the keys a receipt
 * could have named it by (see {@link ContactKeys#normalise}), so receipts kept unmatched can attach
 * to it.
 */
public record ContactsRegistered(List<Registered> contacts) {

  /** One new contact and its match keys by match-key type. */
  public record Registered(UUID contactId, String contactTypeId, Map<String, String> matchKeys) {}
}
