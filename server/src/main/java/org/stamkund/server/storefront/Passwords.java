package org.stamkund.server.storefront;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes with the JDK's PBKDF2-HMAC-SHA256: {@code pbkdf2-sha256$iterations$salt$hash},
 * salt 16 random bytes, hash 32 bytes. The iteration count is in the hash, so raising it later
 * leaves older hashes verifiable.
 */
final class Passwords {

  private static final String SCHEME = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.regex.Pattern DOLLAR = java.util.regex.Pattern.compile("\\$");

  /** Verified against when no account exists, so a miss costs as much time as a wrong password. */
  private final String decoy;

  private final int iterations;

  Passwords(int iterations) {
    this.iterations = iterations;
    this.decoy = hash("decoy password that matches nothing");
  }

  /** The rules a new password must meet; null when it meets them, else what is wrong. */
  static @org.jspecify.annotations.Nullable String problem(String password) {
    if (password.length() < 8) {
      return "at least 8 characters";
    }
    if (password.length() > 200) {
      return "at most 200 characters";
    }
    return null;
  }

  String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return SCHEME
        + "$"
        + iterations
        + "$"
        + Base64.getEncoder().encodeToString(salt)
        + "$"
        + Base64.getEncoder().encodeToString(derive(password, salt, iterations));
  }

  /** Whether the password matches the stored hash; a null hash costs the same and never matches. */
  boolean matches(String password, @org.jspecify.annotations.Nullable String stored) {
    String[] parts = DOLLAR.split(stored == null ? decoy : stored, -1);
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual =
        derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual) && stored != null;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
