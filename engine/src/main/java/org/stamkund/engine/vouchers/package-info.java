/** Reward vouchers (Engage: bonus checks): converting points into vouchers, local values. */
@NullMarked
package org.stamkund.engine.vouchers;

import org.jspecify.annotations.NullMarked;
