/** OMS sync: customers, receipts, vouchers, promotions and order status from an OMS (seed 001). */
@NullMarked
package org.stamkund.connector.oms;

import org.jspecify.annotations.NullMarked;
