package org.stamkund.engine.promotions;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An assigned promotion instance was redeemed, once and for all.
 *
 * @param instanceId the instance's id
 * @param promotionId the definition's id
 * @param contactId who held it
 * @param redeemedAt when it was redeemed
 * @param channel the channel it was redeemed on; null when it was used on a receipt
 * @param receiptId the receipt it was used on; null when redeemed through the API
 */
public record PromotionRedeemed(
    UUID instanceId,
    UUID promotionId,
    UUID contactId,
    Instant redeemedAt,
    @Nullable RedemptionChannelType channel,
    @Nullable UUID receiptId) {}
