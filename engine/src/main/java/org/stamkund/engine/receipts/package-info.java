/** Receipts: purchases and returns as the engine sees them, independent of the wire format. */
@NullMarked
package org.stamkund.engine.receipts;

import org.jspecify.annotations.NullMarked;
