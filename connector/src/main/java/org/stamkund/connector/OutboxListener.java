package org.stamkund.connector;

/**
 * Hears what becomes of buffered calls. Called on the replayer's thread; keep it quick. An entry
 * may carry personal data: use it, never log it.
 */
public interface OutboxListener {

  /** Does nothing. */
  OutboxListener NONE = new OutboxListener() {};

  /** The entry was delivered and is about to be deleted. */
  default void delivered(OutboxEntry entry, ApiResponse response) {}

  /**
   * The engine refused the entry (a 4xx other than 408/429). Answer true when that counts as
   * delivered (for example 409 {@code ApprovedContactWithKeyExists} on a create that got through
   * before its answer was lost), false to give it up as dead.
   */
  default boolean refusalMeansDelivered(OutboxEntry entry, StamkundException refusal) {
    return false;
  }

  /** The entry was given up (refused, or out of attempts) and needs a manual fix. */
  default void dead(OutboxEntry entry, StamkundException lastError) {}
}
