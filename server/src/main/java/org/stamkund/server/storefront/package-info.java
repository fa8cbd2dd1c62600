/**
 * The storefront surfaces: the GraphQL API at {@code /graphql} (lookup, activation, soft and full
 * login, the loyalty page) and the headless Loyalty API at {@code /api/v1/contact-details}, with
 * their storefront and shop configuration.
 */
@NullMarked
@ApplicationModule(displayName = "Storefront")
package org.stamkund.server.storefront;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
