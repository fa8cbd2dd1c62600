package org.stamkund.server.storefront;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stamkund.server.platform.StamkundProperties;

/** The storefront's key ring, tokens and password hashing. */
@Configuration(proxyBeanMethods = false)
class StorefrontConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StorefrontConfiguration.class);

  @Bean
  StorefrontCrypto storefrontCrypto(StorefrontProperties storefront, StamkundProperties server) {
    Map<Integer, byte[]> ring = new HashMap<>();
    if (storefront.keys().isEmpty()) {
      ring.put(0, Base64.getDecoder().decode(generatedKey(server.dataDir().resolve("secrets"))));
    }
    for (String entry : storefront.keys()) {
      int colon = entry.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("stamkund.storefront.keys entries are id:base64");
      }
      ring.put(
          Integer.parseInt(entry.substring(0, colon).strip()),
          Base64.getDecoder().decode(entry.substring(colon + 1).strip()));
    }
    Integer active = storefront.activeKey();
    int activeId =
        active != null
            ? active
            : ring.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    return new StorefrontCrypto(ring, activeId);
  }

  @Bean
  CustomerTokens customerTokens(StorefrontCrypto crypto, Clock clock) {
    return new CustomerTokens(crypto, clock);
  }

  @Bean
  Passwords passwords(StorefrontProperties storefront) {
    return new Passwords(storefront.passwordIterations());
  }

  /** Reads, or creates once, the generated key of a server without configured storefront keys. */
  private static String generatedKey(Path directory) {
    Path file = directory.resolve("storefront.properties");
    Properties secrets = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader reader = Files.newBufferedReader(file)) {
          secrets.load(reader);
        }
        return secrets.getProperty("key.0");
      }
      Files.createDirectories(directory);
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      secrets.setProperty("key.0", Base64.getEncoder().encodeToString(key));
      try (Writer writer = Files.newBufferedWriter(file)) {
        secrets.store(writer, "Stamkund storefront server key; every node needs the same one");
      }
      log.warn(
          "no stamkund.storefront.keys configured: generated a key in {}; every node of a"
              + " cluster needs the same keys",
          file);
      return secrets.getProperty("key.0");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
