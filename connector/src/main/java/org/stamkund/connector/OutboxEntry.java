package org.stamkund.connector;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A buffered call.
 *
 * @param id the position in the outbox (increasing: FIFO within a kind follows it)
 * @param kind the queue it belongs to ({@link Outbox#RECEIPTS}, {@link Outbox#CONTACTS}, …)
 * @param correlationId the caller's reference (checkout id, receipt id), or null
 * @param request the call to send
 * @param personal whether the call carries personal data (purged as soon as it is delivered)
 * @param createdAt when it was buffered
 * @param attempts delivery attempts so far
 * @param maxAttempts attempts before it is given up as dead; 0 for no limit
 * @param lastError the last failure (operation and status only), or null
 */
public record OutboxEntry(
    long id,
    String kind,
    @Nullable String correlationId,
    ApiRequest request,
    boolean personal,
    Instant createdAt,
    int attempts,
    int maxAttempts,
    @Nullable String lastError) {}
