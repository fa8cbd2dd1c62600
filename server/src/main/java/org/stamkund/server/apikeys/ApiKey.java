package org.stamkund.server.apikeys;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored API key, without its secret.
 *
 * @param binding the storefront (storefront scope) or shop (loyalty scope) the key acts for; null
 *     for the default one
 */
record ApiKey(
    UUID id,
    String name,
    Set<Scope> scopes,
    String prefix,
    boolean bootstrap,
    Instant createdAt,
    @Nullable String binding) {}
