/**
 * Article data (product enrichment): the shop's catalogue imported as XML or CSV, giving receipt
 * lines their article group, brand and category.
 */
@NullMarked
@ApplicationModule(displayName = "Articles")
package org.stamkund.server.articles;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
