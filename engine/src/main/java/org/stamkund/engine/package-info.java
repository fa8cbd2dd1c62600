/** The Stamkund domain: contacts, receipts, points, levels, vouchers and promotions. */
@NullMarked
package org.stamkund.engine;

import org.jspecify.annotations.NullMarked;
