package org.stamkund.connector;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The answer to a lookup by key: from the engine, from the replica, or neither. */
public sealed interface LookupResult {

  /**
   * The engine answered with the contact.
   *
   * @param contact the contact
   */
  record FromEngine(Contact contact) implements LookupResult {}

  /**
   * The engine was unavailable; the local replica had the contact.
   *
   * @param contact the contact as last synced
   * @param replicaAge time since the replica's last complete sync, null before the first one
   */
  record FromReplica(Contact contact, @Nullable Duration replicaAge) implements LookupResult {}

  /** The engine answered that no contact holds the key. */
  record NotFound() implements LookupResult {}

  /**
   * Neither the engine (within the budget) nor the replica could answer.
   *
   * @param reason what failed, free of personal data
   */
  record Unavailable(String reason) implements LookupResult {}
}
