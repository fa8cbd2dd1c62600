package org.stamkund.connector.oms;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What exporting one customer did.
 *
 * @param action the outcome
 * @param contactId the engine contact id, when there is one
 * @param externalId what the OMS should store on the customer ({@code VoyadoContactId}, value
 *     {@code <Prefix>_<contactId>}), or null
 * @param operations the operations of seed 001's table that were called, in order ({@code GET
 *     /contacts/{id}}, {@code POST /contacts/{id}/promoteToMember}, …)
 */
public record CustomerSyncResult(
    Action action,
    @Nullable String contactId,
    @Nullable ExternalId externalId,
    List<String> operations) {

  /** Copies. */
  public CustomerSyncResult {
    operations = List.copyOf(operations);
  }

  /** The outcome. */
  public enum Action {
    /** A new contact was created. */
    CREATED,
    /** An existing contact was updated (and its type changed when needed). */
    UPDATED,
    /** The contact was deleted. */
    DELETED,
    /** Nothing to do: not exported under the mapping, another market, or delete not synced. */
    SKIPPED,
    /** The engine was unavailable; the write waits in the outbox. */
    BUFFERED
  }
}
