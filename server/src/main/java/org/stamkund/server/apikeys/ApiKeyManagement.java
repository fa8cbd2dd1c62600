package org.stamkund.server.apikeys;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists, revokes and authenticates API keys.
 *
 * <p>Authentication is on every request, so verified keys are cached for a few seconds. A revoke
 * clears this node's cache at once; other nodes of a cluster stop accepting the key within {@link
 * #CACHE_TTL}.
 */
@Service
public class ApiKeyManagement {

  static final Duration CACHE_TTL = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  ApiKeyManagement(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A new key and its secret, which is shown only this once. */
  record Created(ApiKey key, String secret) {}

  /**
   * An authenticated caller: the key's scopes and what it is bound to.
   *
   * @param binding the storefront or shop id the key acts for; null for the default one
   */
  public record Caller(UUID keyId, Set<Scope> scopes, @Nullable String binding) {}

  private record Cached(@Nullable Caller caller, Instant until) {}

  @Transactional
  public Created create(String name, Set<Scope> scopes) {
    return create(name, scopes, null);
  }

  @Transactional
  public Created create(String name, Set<Scope> scopes, @Nullable String binding) {
    String secret = ApiKeySecrets.generate();
    ApiKey key = insert(name, scopes, secret, false);
    if (binding != null) {
      bind(key.id(), binding);
      key =
          new ApiKey(
              key.id(),
              key.name(),
              key.scopes(),
              key.prefix(),
              key.bootstrap(),
              key.createdAt(),
              binding);
    }
    return new Created(key, secret);
  }

  /**
   * Binds an active key to a storefront or shop id (null unbinds); takes effect on every node
   * within {@link #CACHE_TTL}.
   *
   * @return false when no active key has this id
   */
  public boolean bind(UUID id, @Nullable String binding) {
    generation.incrementAndGet();
    int changed =
        jdbc.sql("update api_keys set binding = ? where id = ? and revoked_at is null")
            .params(java.util.Arrays.<@Nullable Object>asList(binding, id))
            .update();
    generation.incrementAndGet();
    cache.clear();
    return changed > 0;
  }

  ApiKey insert(String name, Set<Scope> scopes, String secret, boolean bootstrap) {
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    jdbc.sql(
            """
            insert into api_keys (id, name, scopes, key_hash, key_prefix, bootstrap, created_at)
            values (?, ?, ?::text[], ?, ?, ?, ?)
            """)
        .params(
            id,
            name,
            scopes.stream().map(Scope::wireName).collect(Collectors.joining(",", "{", "}")),
            ApiKeySecrets.hash(secret),
            ApiKeySecrets.prefix(secret),
            bootstrap,
            java.sql.Timestamp.from(now))
        .update();
    return new ApiKey(id, name, scopes, ApiKeySecrets.prefix(secret), bootstrap, now, null);
  }

  List<ApiKey> list() {
    return jdbc.sql(
            """
            select id, name, scopes, key_prefix, bootstrap, created_at, binding from api_keys
            where revoked_at is null order by created_at
            """)
        .query(
            (rs, n) ->
                new ApiKey(
                    rs.getObject("id", UUID.class),
                    rs.getString("name"),
                    scopes(rs.getArray("scopes")),
                    rs.getString("key_prefix"),
                    rs.getBoolean("bootstrap"),
                    rs.getTimestamp("created_at").toInstant(),
                    rs.getString("binding")))
        .list();
  }

  /**
   * Revokes a key at once: the update commits on its own, then this node's cache is cleared, and a
   * lookup that raced the revoke is not cached.
   */
  public boolean revoke(UUID id) {
    generation.incrementAndGet();
    int changed =
        jdbc.sql("update api_keys set revoked_at = now() where id = ? and revoked_at is null")
            .param(id)
            .update();
    generation.incrementAndGet();
    cache.clear();
    return changed > 0;
  }

  /** The scopes of an active key with this secret; empty when the key is unknown or revoked. */
  public Optional<Set<Scope>> authenticate(String secret) {
    return caller(secret).map(Caller::scopes);
  }

  /** The active key with this secret; empty when the key is unknown or revoked. */
  public Optional<Caller> caller(String secret) {
    Instant now = clock.instant();
    Cached cached = cache.get(secret);
    if (cached == null || cached.until().isBefore(now)) {
      long before = generation.get();
      Caller caller =
          jdbc.sql(
                  "select id, scopes, binding from api_keys where key_hash = ? and revoked_at is"
                      + " null")
              .param(ApiKeySecrets.hash(secret))
              .query(
                  (rs, n) ->
                      new Caller(
                          rs.getObject("id", UUID.class),
                          scopes(rs.getArray("scopes")),
                          rs.getString("binding")))
              .optional()
              .orElse(null);
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cached = new Cached(caller, now.plus(CACHE_TTL));
      if (generation.get() == before) {
        cache.put(secret, cached);
      }
    }
    return Optional.ofNullable(cached.caller());
  }

  /** Whether any active key exists. */
  boolean anyActive() {
    return jdbc.sql("select exists (select 1 from api_keys where revoked_at is null)")
        .query(Boolean.class)
        .single();
  }

  /** Makes {@code secret} the bootstrap key with every scope, replacing an earlier one. */
  void installBootstrap(String secret) {
    jdbc.sql("delete from api_keys where bootstrap").update();
    insert("bootstrap", EnumSet.allOf(Scope.class), secret, true);
    cache.clear();
  }

  private static Set<Scope> scopes(Array array) throws SQLException {
    String[] names = (String[]) array.getArray();
    EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
    Arrays.stream(names).map(Scope::fromWire).flatMap(Optional::stream).forEach(scopes::add);
    return scopes;
  }
}
