package org.stamkund.server.articles;

import org.jspecify.annotations.Nullable;

/**
 * One article of the catalogue.
 *
 * @param sku the article number receipts name on their lines
 */
public record Article(
    String sku,
    @Nullable String name,
    @Nullable String brand,
    @Nullable String articleGroup,
    @Nullable String category) {}
