package org.stamkund.server.storefront;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The storefront's server key ring: seals personal values handed to shops ({@code encrypted}) with
 * AES-256-GCM and signs tokens with HMAC-SHA256. Each ring key yields two derived keys, one per
 * use. Values and tokens name the key they were made with, so after a rotation every older key of
 * the ring still opens them.
 *
 * <p>A sealed value is base64 of {@code 0xA7 | keyId | nonce(12) | ciphertext+tag}; the field name
 * is bound in as associated data, so a sealed first name is not accepted as an e-mail.
 */
final class StorefrontCrypto {

  private static final byte MAGIC = (byte) 0xA7;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_SEALED = 2 + NONCE_BYTES + TAG_BITS / 8;

  private final Map<Integer, SecretKeySpec> sealKeys = new HashMap<>();
  private final Map<Integer, SecretKeySpec> signKeys = new HashMap<>();
  private final int activeKeyId;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param ring 32-byte keys by id (0-255)
   * @param activeKeyId the key new values and tokens use
   */
  StorefrontCrypto(Map<Integer, byte[]> ring, int activeKeyId) {
    if (!ring.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "storefront key " + activeKeyId + " is not in the key ring");
    }
    ring.forEach(
        (id, key) -> {
          if (id < 0 || id > 255 || key.length != 32) {
            throw new IllegalArgumentException(
                "storefront key " + id + " must be 32 bytes with an id 0-255");
          }
          sealKeys.put(id, new SecretKeySpec(derive(key, "stamkund storefront seal"), "AES"));
          signKeys.put(
              id, new SecretKeySpec(derive(key, "stamkund storefront sign"), "HmacSHA256"));
        });
    this.activeKeyId = activeKeyId;
  }

  /** What {@link #open} found. */
  sealed interface Opened {}

  /** The value is not a sealed value: take it as plain text. */
  record Plain(String value) implements Opened {}

  /** The value was sealed by this server for this field. */
  record Unsealed(String value) implements Opened {}

  /** The value looks sealed but no key of the ring opens it for this field. */
  record Invalid() implements Opened {}

  /** Seals a value of a field under the active key. */
  String seal(String field, String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, sealKeys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(activeKeyId, field));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(2 + NONCE_BYTES + sealed.length)
                  .put(MAGIC)
                  .put((byte) activeKeyId)
                  .put(nonce)
                  .put(sealed)
                  .array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Opens a value that may be sealed; plain text passes through as {@link Plain}. */
  Opened open(String field, String value) {
    byte[] bytes = sealedBytes(value);
    if (bytes == null) {
      return new Plain(value);
    }
    int keyId = bytes[1] & 0xff;
    SecretKeySpec key = sealKeys.get(keyId);
    if (key == null) {
      return new Invalid();
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 2, NONCE_BYTES));
      cipher.updateAAD(aad(keyId, field));
      byte[] plain = cipher.doFinal(bytes, 2 + NONCE_BYTES, bytes.length - 2 - NONCE_BYTES);
      return new Unsealed(new String(plain, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      return new Invalid();
    }
  }

  /** The bytes of a value shaped like a sealed one, or null when it is not. */
  private static byte @Nullable [] sealedBytes(String value) {
    String v = value.strip();
    if (v.length() < 40 || !v.matches("^[A-Za-z0-9+/]+={0,2}$")) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(v);
      return bytes.length >= MIN_SEALED && bytes[0] == MAGIC ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * A keyed hash of {@code text} under the active key, for storing something personal only as a way
   * to recognise it again (it changes when the active key does).
   */
  String fingerprint(String text) {
    return mac(activeKeyId, "fingerprint:" + text);
  }

  /** {@code text.keyId.mac}: the text signed with the active key. */
  String sign(String text) {
    return text + "." + activeKeyId + "." + mac(activeKeyId, text);
  }

  /**
   * The text of a value made by {@link #sign}, when its signature verifies under a key of the ring;
   * null when it was altered or made with an unknown key.
   */
  @Nullable String verify(String signed) {
    int macDot = signed.lastIndexOf('.');
    int keyDot = macDot < 1 ? -1 : signed.lastIndexOf('.', macDot - 1);
    if (keyDot < 1) {
      return null;
    }
    String keyText = signed.substring(keyDot + 1, macDot);
    if (!keyText.matches("^[0-9]{1,3}$")) {
      return null;
    }
    int keyId = Integer.parseInt(keyText);
    if (!signKeys.containsKey(keyId)) {
      return null;
    }
    String text = signed.substring(0, keyDot);
    byte[] expected = mac(keyId, text).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signed.substring(macDot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? text : null;
  }

  private String mac(int keyId, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(signKeys.get(keyId));
      mac.update((byte) keyId);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC failed", e);
    }
  }

  private static byte[] aad(int keyId, String field) {
    byte[] name = field.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + name.length).put(MAGIC).put((byte) keyId).put(name).array();
  }

  private static byte[] derive(byte[] key, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC failed", e);
    }
  }
}
