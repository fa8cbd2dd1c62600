/** The loyalty programme: currencies, earning, expiry, levels, vouchers — and its validation. */
@NullMarked
package org.stamkund.engine.program;

import org.jspecify.annotations.NullMarked;
