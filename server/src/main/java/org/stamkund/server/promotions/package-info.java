/**
 * Personal promotions: multichannel promotion definitions, their assignment to contacts, and the
 * redemption of each assigned instance exactly once, through the API or on a receipt.
 */
@NullMarked
@ApplicationModule(displayName = "Promotions")
package org.stamkund.server.promotions;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
