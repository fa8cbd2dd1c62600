package org.stamkund.server.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts personal data at rest (AES-256-GCM) and computes blind indexes (HMAC-SHA256) so an
 * encrypted value can still be found by equality.
 *
 * <p>A ciphertext is {@code keyId(1 byte) | nonce(12) | ciphertext+tag}; every key of the ring
 * stays readable, new values use the active key, so keys can be rotated without rewriting rows.
 */
public final class PersonalDataCipher {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<Integer, SecretKeySpec> keys;
  private final int activeKeyId;
  private final SecretKeySpec indexKey;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param keys AES keys of 32 bytes by id (0-255)
   * @param activeKeyId the id new values are encrypted with
   * @param indexKey the HMAC key of the blind index, at least 32 bytes
   */
  public PersonalDataCipher(Map<Integer, byte[]> keys, int activeKeyId, byte[] indexKey) {
    if (!keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException("active key " + activeKeyId + " is not in the key ring");
    }
    keys.forEach(
        (id, key) -> {
          if (id < 0 || id > 255 || key.length != 32) {
            throw new IllegalArgumentException("key " + id + " must be 32 bytes with an id 0-255");
          }
        });
    if (indexKey.length < 32) {
      throw new IllegalArgumentException("the blind-index key must be at least 32 bytes");
    }
    this.keys =
        keys.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> new SecretKeySpec(e.getValue(), "AES")));
    this.activeKeyId = activeKeyId;
    this.indexKey = new SecretKeySpec(indexKey, "HmacSHA256");
  }

  /** Encrypts a value under the active key. */
  public byte[] encrypt(String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {(byte) activeKeyId});
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
          .put((byte) activeKeyId)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts a value written by {@link #encrypt} under any key of the ring.
   *
   * @throws IllegalStateException when the key is unknown or the value was tampered with
   */
  public String decrypt(byte[] sealed) {
    int keyId = sealed[0] & 0xff;
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException("no key with id " + keyId + " in the ring");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(new byte[] {(byte) keyId});
      byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /** The blind index of a normalised value: equal values give equal indexes. */
  public byte[] blindIndex(String normalised) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(indexKey);
      return mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC failed", e);
    }
  }
}
