/**
 * Checkout membership: look a shopper up, offer membership, enrol after the purchase (seed 000).
 */
@NullMarked
package org.stamkund.connector.checkout;

import org.jspecify.annotations.NullMarked;
