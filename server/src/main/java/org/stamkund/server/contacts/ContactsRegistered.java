package org.stamkund.server.contacts;

import java.util.List;
import java.util.UUID;

/**
 * Contacts were created, published inside the creating transaction. Each carries the keys a receipt
 * could have named it by (see {@link ContactKeys#normalise}), so receipts kept unmatched can attach
 * to it.
 */
public record ContactsRegistered(List<Registered> contacts) {

  /** One new contact and the match keys a receipt could name it by. */
  public record Registered(UUID contactId, String contactTypeId, List<MatchKey> matchKeys) {}

  /** A match-key type and the stored form of a value. */
  public record MatchKey(String type, String value) {}
}
