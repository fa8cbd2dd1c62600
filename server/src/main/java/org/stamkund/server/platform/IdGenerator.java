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

  // Several generators, picked by thread: one shared SecureRandom serialises every id of every
  // request behind one lock (the platform's default reads /dev/urandom under a global one).
  private final RandomBlock[] randoms = new RandomBlock[8];

  public IdGenerator(Clock clock) {
    this.clock = clock;
    for (int i = 0; i < randoms.length; i++) {
      SecureRandom random;
      try {
        random = SecureRandom.getInstance("DRBG");
      } catch (java.security.NoSuchAlgorithmException e) {
        random = new SecureRandom();
      }
      randoms[i] = new RandomBlock(random);
    }
  }

  /**
   * Random bits drawn a block at a time: a DRBG call costs two hashes whatever it returns, so one
   * call for 128 ids instead of one each (a bulk import makes two ids a contact).
   */
  private static final class RandomBlock {
    private static final int ID_BYTES = 10;
    private final SecureRandom random;
    private final java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(ID_BYTES * 128);

    RandomBlock(SecureRandom random) {
      this.random = random;
      block.position(block.limit());
    }

    synchronized UUID next(long millis) {
      if (!block.hasRemaining()) {
        random.nextBytes(block.array());
        block.clear();
      }
      long randA = block.getShort() & 0x0fffL;
      long randB = block.getLong();
      long msb = (millis << 16) | 0x7000L | randA;
      long lsb = (randB & 0x3fffffffffffffffL) | 0x8000000000000000L;
      return new UUID(msb, lsb);
    }
  }

  /**
   * The lowest id that {@link #next} can give at {@code instant} or later: every id made before it
   * sorts below, in PostgreSQL's order of {@code uuid} too, so an index on ids serves as one on
   * time.
   */
  public static UUID earliestAt(java.time.Instant instant) {
    // Ids hold 48 bits of milliseconds since 1970: earlier instants are the lowest id, later ones
    // past the year 10889 the highest.
    long millis = Math.clamp(instant.toEpochMilli(), 0L, (1L << 48) - 1);
    return new UUID(millis << 16, 0L);
  }

  public UUID next() {
    long millis = clock.millis();
    return randoms[(int) (Thread.currentThread().threadId() & (randoms.length - 1))].next(millis);
  }
}
