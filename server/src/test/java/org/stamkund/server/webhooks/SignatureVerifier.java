package org.stamkund.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A subscriber's check of a Standard Webhooks signature, written from the specification apart from
 * the server's signer: HMAC-SHA256 keyed with the base64-decoded part of {@code whsec_…}, over
 * {@code id.timestamp.body}, compared in constant time with each {@code v1,} entry of the header.
 */
final class SignatureVerifier {

  private SignatureVerifier() {}

  static boolean verify(String secret, String id, String timestamp, String body, String header) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      for (String entry : header.split(" ")) {
        if (entry.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
