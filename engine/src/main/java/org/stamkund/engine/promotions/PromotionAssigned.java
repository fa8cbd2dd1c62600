package org.stamkund.engine.promotions;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A promotion was assigned to a contact.
 *
 * @param instanceId the instance's id, the one a redemption names
 * @param promotionId the definition's id
 * @param contactId who holds it
 * @param assignedAt when it was assigned
 * @param expiresOn when it stops being usable; null when it does not
 */
public record PromotionAssigned(
    UUID instanceId,
    UUID promotionId,
    UUID contactId,
    Instant assignedAt,
    @Nullable Instant expiresOn) {}
