package org.stamkund.server.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Generates key secrets and hashes them; keys are 256 random bits, so SHA-256 suffices. */
final class ApiKeySecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "stk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The first characters of a secret, kept to tell keys apart in listings. */
  static String prefix(String secret) {
    return secret.substring(0, Math.min(8, secret.length()));
  }
}
