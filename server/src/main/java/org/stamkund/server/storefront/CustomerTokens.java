package org.stamkund.server.storefront;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Signed, expiring tokens of the storefront: {@code stk1.<payload>.<keyId>.<mac>}, the payload
 * base64url of {@code kind|storefront|contact|expiresEpochSecond|version}. Nothing is stored: the
 * signature makes them tamper-proof, the expiry and the account's password version end them.
 */
final class CustomerTokens {

  /** Any storefront: campaign tokens are made for a contact, not for one shop. */
  static final String ANY_STOREFRONT = "*";

  private static final String PREFIX = "stk1.";

  /** What a token lets its bearer do. */
  enum Kind {
    /** A soft login, from an activation: read personal data and loyalty, buy; change nothing. */
    SOFT,
    /** A full login, from a password: everything, including changing account data. */
    FULL,
    /** The e-mailed token that sets a password once. */
    PASSWORD,
    /** A campaign link's token that activates (or soft-logs in) its contact. */
    CAMPAIGN
  }

  /**
   * A verified token.
   *
   * @param version the account's password version when issued (0 for soft and campaign tokens)
   */
  record Token(Kind kind, String storefrontId, UUID contactId, Instant expiresAt, int version) {}

  /** The outcome of reading a token. */
  sealed interface Read {}

  /** Signed by this server, unexpired. */
  record Valid(Token token) implements Read {}

  /** Signed by this server, but past its expiry. */
  record Expired() implements Read {}

  /** Not a token of this server: malformed, altered, or signed with an unknown key. */
  record Invalid() implements Read {}

  private final StorefrontCrypto crypto;
  private final Clock clock;

  CustomerTokens(StorefrontCrypto crypto, Clock clock) {
    this.crypto = crypto;
    this.clock = clock;
  }

  String issue(Token token) {
    String payload =
        String.join(
            "|",
            token.kind().name(),
            token.storefrontId(),
            token.contactId().toString(),
            Long.toString(token.expiresAt().getEpochSecond()),
            Integer.toString(token.version()));
    return crypto.sign(
        PREFIX
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)));
  }

  Read read(@Nullable String raw) {
    if (raw == null || raw.length() > 1000) {
      return new Invalid();
    }
    String text = crypto.verify(raw.strip());
    if (text == null || !text.startsWith(PREFIX)) {
      return new Invalid();
    }
    try {
      String payload =
          new String(
              Base64.getUrlDecoder().decode(text.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      String[] parts = payload.split("\\|", -1);
      if (parts.length != 5) {
        return new Invalid();
      }
      Token token =
          new Token(
              Kind.valueOf(parts[0]),
              parts[1],
              UUID.fromString(parts[2]),
              Instant.ofEpochSecond(Long.parseLong(parts[3])),
              Integer.parseInt(parts[4]));
      return token.expiresAt().isAfter(clock.instant()) ? new Valid(token) : new Expired();
    } catch (IllegalArgumentException e) {
      return new Invalid();
    }
  }
}
