package org.stamkund.server.platform;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Time-ordered UUIDs (version 7): the leading 48 bits are milliseconds since the epoch, so new rows
 * land at the end of primary-key indexes instead of all over them.
 */
@Component
public class IdGenerator {

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public IdGenerator(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    long randA = random.nextLong();
    long msb = (millis << 16) | 0x7000L | (randA & 0x0fffL);
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
