/**
 * Orders (Engage's {@code POST /api/v2/orders}): validated, stored nowhere, and turned into an
 * {@code order.<status>} event that drives transactional messages.
 */
@NullMarked
@ApplicationModule(displayName = "Orders")
package org.stamkund.server.orders;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
