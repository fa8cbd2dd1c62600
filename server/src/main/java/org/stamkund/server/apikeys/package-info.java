/** API keys: stored as hashes, scoped, accepted from apikey, x-api-key or a Bearer header. */
@NullMarked
package org.stamkund.server.apikeys;

import org.jspecify.annotations.NullMarked;
