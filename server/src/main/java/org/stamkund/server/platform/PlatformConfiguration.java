package org.stamkund.server.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stamkund.engine.contacts.ContactAttributeRules;

/** Beans every module uses: the clock, the personal-data cipher, the contact attribute rules. */
@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

  private static final Logger log = LoggerFactory.getLogger(PlatformConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ContactAttributeRules contactAttributeRules(Clock clock, StamkundProperties properties) {
    return new ContactAttributeRules(clock, properties.defaultCallingCode());
  }

  @Bean
  PersonalDataCipher personalDataCipher(CryptoProperties crypto, StamkundProperties properties) {
    Map<Integer, byte[]> ring = new HashMap<>();
    String indexKey = crypto.indexKey();
    if (crypto.keys().isEmpty() || indexKey == null) {
      Properties generated = generatedSecrets(properties.dataDir().resolve("secrets"));
      if (crypto.keys().isEmpty()) {
        ring.put(0, Base64.getDecoder().decode(generated.getProperty("key.0")));
      }
      if (indexKey == null) {
        indexKey = generated.getProperty("index-key");
      }
    }
    for (String entry : crypto.keys()) {
      int colon = entry.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("stamkund.crypto.keys entries are id:base64");
      }
      ring.put(
          Integer.parseInt(entry.substring(0, colon).strip()),
          Base64.getDecoder().decode(entry.substring(colon + 1).strip()));
    }
    Integer active = crypto.activeKey();
    int activeId =
        active != null
            ? active
            : ring.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    return new PersonalDataCipher(ring, activeId, Base64.getDecoder().decode(indexKey));
  }

  /** Reads, or creates once, the generated key file of a server without configured keys. */
  private static Properties generatedSecrets(Path directory) {
    Path file = directory.resolve("crypto.properties");
    Properties secrets = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader reader = Files.newBufferedReader(file)) {
          secrets.load(reader);
        }
        return secrets;
      }
      Files.createDirectories(directory);
      SecureRandom random = new SecureRandom();
      byte[] key = new byte[32];
      byte[] index = new byte[32];
      random.nextBytes(key);
      random.nextBytes(index);
      secrets.setProperty("key.0", Base64.getEncoder().encodeToString(key));
      secrets.setProperty("index-key", Base64.getEncoder().encodeToString(index));
      try (Writer writer = Files.newBufferedWriter(file)) {
        secrets.store(writer, "Stamkund personal-data keys; back this file up with the database");
      }
      log.warn(
          "no stamkund.crypto keys configured: generated a key ring in {}; every node of a"
              + " cluster needs the same keys",
          file);
      return secrets;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
