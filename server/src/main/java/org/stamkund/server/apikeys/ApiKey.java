package org.stamkund.server.apikeys;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A stored API key, without its secret. */
record ApiKey(
    UUID id, String name, Set<Scope> scopes, String prefix, boolean bootstrap, Instant createdAt) {}
