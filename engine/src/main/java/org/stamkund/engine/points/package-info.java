/** Points: earning from receipts, returns, spending oldest-expiry first, expiry. */
@NullMarked
package org.stamkund.engine.points;

import org.jspecify.annotations.NullMarked;
