package org.stamkund.server.platform;

import jakarta.annotation.PostConstruct;
import java.util.Arrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stops a node whose personal-data keys differ from the ones the database was written with — a
 * second node that generated its own keys, or a node that lost its data directory — before it can
 * store numbers no other node can read or find.
 */
@Component
class CryptoKeyCheck {

  private static final String LABEL = "stamkund-key-check";

  private final JdbcClient jdbc;
  private final PersonalDataCipher cipher;

  CryptoKeyCheck(JdbcClient jdbc, PersonalDataCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  @PostConstruct
  void check() {
    byte[] index = cipher.blindIndex(LABEL);
    jdbc.sql("insert into crypto_checks (name, sample) values ('index', ?) on conflict do nothing")
        .param(index)
        .update();
    jdbc.sql("insert into crypto_checks (name, sample) values ('cipher', ?) on conflict do nothing")
        .param(cipher.encrypt(LABEL))
        .update();
    byte[] storedIndex =
        jdbc.sql("select sample from crypto_checks where name = 'index'")
            .query(byte[].class)
            .single();
    byte[] storedSample =
        jdbc.sql("select sample from crypto_checks where name = 'cipher'")
            .query(byte[].class)
            .single();
    if (!Arrays.equals(storedIndex, index)) {
      throw new IllegalStateException(
          "stamkund.crypto.index-key differs from the key this database was written with; give"
              + " every node the same STAMKUND_CRYPTO_INDEX_KEY");
    }
    try {
      if (!LABEL.equals(cipher.decrypt(storedSample))) {
        throw new IllegalStateException("decrypted check value differs");
      }
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "stamkund.crypto.keys cannot read this database's personal data; give every node the"
              + " same STAMKUND_CRYPTO_KEYS (a rotated ring must keep the old keys)",
          e);
    }
  }
}
