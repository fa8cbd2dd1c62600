/**
 * Personal promotions (Engage: multichannel promotions): their status from dates, the validity of
 * an assigned instance, redemption channels and their values, and whether an instance is usable.
 */
@NullMarked
package org.stamkund.engine.promotions;

import org.jspecify.annotations.NullMarked;
