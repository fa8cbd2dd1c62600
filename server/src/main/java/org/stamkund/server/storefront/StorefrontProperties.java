package org.stamkund.server.storefront;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys and lifetimes of the storefront API.
 *
 * @param keys the server key ring as {@code id:base64} entries (32-byte keys): it encrypts the
 *     {@code encrypted} values and signs tokens; old keys stay readable after a rotation; empty
 *     means a key is generated once into {@code <data-dir>/secrets/storefront.properties}
 * @param activeKey the id new values and tokens use; defaults to the highest id
 * @param softLoginTtl how long a soft-login token (from an activation) is valid
 * @param loginTtl how long a full-login token (from a password) is valid
 * @param passwordTokenTtl how long the e-mailed "set your password" token is valid
 * @param campaignTokenTtl how long a campaign activation token is valid, unless its issuer says
 * @param passwordIterations PBKDF2-HMAC-SHA256 iterations of new password hashes
 */
@ConfigurationProperties("stamkund.storefront")
public record StorefrontProperties(
    @DefaultValue List<String> keys,
    @Nullable Integer activeKey,
    @DefaultValue("P1D") Duration softLoginTtl,
    @DefaultValue("P7D") Duration loginTtl,
    @DefaultValue("P3D") Duration passwordTokenTtl,
    @DefaultValue("P30D") Duration campaignTokenTtl,
    @DefaultValue("600000") int passwordIterations) {

  public StorefrontProperties {
    for (Duration d : List.of(softLoginTtl, loginTtl, passwordTokenTtl, campaignTokenTtl)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("stamkund.storefront token lifetimes must be positive");
      }
    }
    if (passwordIterations < 100_000) {
      throw new IllegalArgumentException(
          "stamkund.storefront.password-iterations must be at least 100000, got "
              + passwordIterations);
    }
  }
}
