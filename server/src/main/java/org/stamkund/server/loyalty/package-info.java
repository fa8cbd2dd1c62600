/**
 * The loyalty core: the programme, stores, receipts that count at once, the points ledger, member
 * levels and reward vouchers.
 */
@NullMarked
package org.stamkund.server.loyalty;

import org.jspecify.annotations.NullMarked;
