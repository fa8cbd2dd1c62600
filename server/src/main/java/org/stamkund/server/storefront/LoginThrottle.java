package org.stamkund.server.storefront;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing. Five failed logins for one key of one storefront, each within 15 minutes
 * of the last, lock that key's logins for 30 seconds, doubling with every further failure up to 15
 * minutes; a successful login clears the count. Attempts while locked are refused before the
 * password is checked and are not counted, so a lock never grows past 15 minutes. The count is in
 * the database, so every node sees the same failures, and the key is kept only as a keyed hash.
 */
@Component
class LoginThrottle {

  static final int FREE_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  static final Duration LONGEST_LOCK = Duration.ofMinutes(15);

  private final JdbcClient jdbc;
  private final StorefrontCrypto crypto;
  private final Clock clock;

  LoginThrottle(JdbcClient jdbc, StorefrontCrypto crypto, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.clock = clock;
  }

  /** How long {@code failures} failures in a row lock the key. */
  static Duration lock(int failures) {
    if (failures < FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - FREE_FAILURES, 10);
    Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
    return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
  }

  /** Refuses with {@code LoginThrottled} while the key is locked. */
  void check(String storefrontId, String key) {
    Instant now = clock.instant();
    Optional<Instant> until =
        jdbc.sql(
                """
                select failures, last_failure_at from storefront_login_failures
                where storefront_id = ? and key_fingerprint = ?
                """)
            .params(storefrontId, fingerprint(storefrontId, key))
            .query(
                (rs, n) ->
                    rs.getTimestamp("last_failure_at")
                        .toInstant()
                        .plus(lock(rs.getInt("failures"))))
            .optional();
    if (until.isPresent() && until.get().isAfter(now)) {
      long seconds = Math.max(1, Duration.between(now, until.get()).toSeconds());
      throw new StorefrontException(
          "LoginThrottled",
          "too many failed logins for this key; try again in " + seconds + " s",
          Map.of("retryAfterSeconds", seconds));
    }
  }

  /** Counts a failed login; a failure more than the window after the last starts a new count. */
  void failed(String storefrontId, String key) {
    Instant now = clock.instant();
    jdbc.sql(
            """
            insert into storefront_login_failures
                (storefront_id, key_fingerprint, failures, last_failure_at)
            values (?, ?, 1, ?)
            on conflict (storefront_id, key_fingerprint) do update set
                failures = case when storefront_login_failures.last_failure_at < ? then 1
                                else storefront_login_failures.failures + 1 end,
                last_failure_at = excluded.last_failure_at
            """)
        .params(
            storefrontId,
            fingerprint(storefrontId, key),
            Timestamp.from(now),
            Timestamp.from(now.minus(WINDOW)))
        .update();
    jdbc.sql("delete from storefront_login_failures where last_failure_at < ?")
        .param(Timestamp.from(now.minus(Duration.ofDays(1))))
        .update();
  }

  /** Clears the key's count after a successful login. */
  void succeeded(String storefrontId, String key) {
    jdbc.sql(
            "delete from storefront_login_failures where storefront_id = ? and key_fingerprint = ?")
        .params(storefrontId, fingerprint(storefrontId, key))
        .update();
  }

  private String fingerprint(String storefrontId, String key) {
    return crypto.fingerprint(storefrontId + "\n" + key.strip().toLowerCase(Locale.ROOT));
  }
}
