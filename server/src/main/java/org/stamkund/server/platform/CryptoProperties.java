package org.stamkund.server.platform;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys for personal data at rest.
 *
 * @param keys the AES key ring as {@code id:base64} entries (32-byte keys); empty means a ring is
 *     generated once into {@code <data-dir>/secrets/crypto.properties}
 * @param activeKey the id of the key new values are encrypted with; defaults to the highest id
 * @param indexKey base64 HMAC key of the blind index (at least 32 bytes); generated like the ring
 */
@ConfigurationProperties("stamkund.crypto")
public record CryptoProperties(
    @DefaultValue List<String> keys, @Nullable Integer activeKey, @Nullable String indexKey) {}
