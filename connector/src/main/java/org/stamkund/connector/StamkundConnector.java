package org.stamkund.connector;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a till, checkout or OMS holds: the client, the durable outbox with its replayer, and the
 * local contact replica, wired so that the engine is never critical to a purchase (seed 004).
 *
 * <ul>
 *   <li>{@link #submitReceipt} decides the receipt's contact and sends it within the purchase
 *       budget, or buffers it; either way it returns within the budget plus one local write.
 *   <li>{@link #lookup} answers from the engine within the purchase budget, or from the replica.
 *   <li>{@link #deliver} sends any other write, or buffers it in its queue.
 * </ul>
 *
 * Thread-safe. {@link #start()} starts the background replayer and replica sync; {@link #close()}
 * stops them and closes the files.
 */
public final class StamkundConnector implements AutoCloseable {

  private final StamkundClient client;
  private final StamkundClient purchasePath;
  private final Outbox outbox;
  private final OutboxReplayer replayer;
  private final @Nullable ContactReplica replica;
  private final SecondaryKey secondaryKey;
  private final Duration replayInterval;
  private final Duration replicaSyncInterval;
  private final InstantSource clock;
  private final Path directory;
  private final Duration retention;
  private @Nullable ScheduledExecutorService replicaScheduler;
  private java.util.concurrent.@Nullable ScheduledFuture<?> replicaSync;

  private StamkundConnector(Builder b, StamkundClient client, Path directory) {
    this.client = client;
    this.purchasePath = client.onPurchasePath();
    this.clock = b.clock;
    this.directory = directory;
    this.retention = b.retention;
    this.secondaryKey = b.secondaryKey;
    this.replayInterval = b.replayInterval;
    this.replicaSyncInterval = b.replicaSyncInterval;
    this.outbox = Outbox.open(directory.resolve("outbox.db"), b.retention, b.clock);
    this.replayer = new OutboxReplayer(outbox, client, b.listener, b.replayBackoff, b.replayBatch);
    this.replica =
        b.replica
            ? ContactReplica.open(
                directory.resolve("replica.db"),
                client,
                b.clock,
                b.replicaPageSize,
                b.defaultCallingCode)
            : null;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the outbox replayer and, when the replica is on, its periodic sync. */
  public synchronized void start() {
    replayer.start(replayInterval);
    ContactReplica r = replica;
    if (r != null && replicaScheduler == null) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              run -> {
                Thread t = new Thread(run, "stamkund-replica-sync");
                t.setDaemon(true);
                return t;
              });
      replicaScheduler = s;
      replicaSync =
          s.scheduleWithFixedDelay(
              () -> {
                try {
                  r.sync();
                } catch (RuntimeException e) {
                  // engine away: the next run resumes from the stored cursor
                }
              },
              0,
              Math.max(1, replicaSyncInterval.toMillis()),
              TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Hands over a finished purchase or return. The contact is decided in this order: the receipt's
   * own contact, the shopper's contact id, member number, an engine lookup by e-mail / phone /
   * personal id within the budget, the replica, and last the configured secondary key. The receipt
   * is then sent within what is left of the purchase budget; if it cannot be, or if earlier
   * receipts still wait in the outbox (their order is kept), it is buffered.
   */
  public ReceiptOutcome submitReceipt(Receipt receipt, Shopper shopper) {
    long started = System.nanoTime();
    Deadline deadline = Deadline.after(purchasePath.budget());
    Receipt tagged = receipt;
    ReceiptOutcome.KeySource source;
    if (receipt.contact() != null) {
      source = ReceiptOutcome.KeySource.GIVEN;
    } else {
      Tag tag = tag(shopper, deadline);
      source = tag.source;
      tagged = receipt.withContact(tag.contact);
    }
    Receipt.ReceiptContact contact = tagged.contact();
    if (contact == null) {
      return new ReceiptOutcome(
          ReceiptOutcome.Delivery.SKIPPED_ANONYMOUS, source, null, since(started), null);
    }
    ApiRequest request = StamkundClient.receiptRequest(tagged);
    boolean personal = contact.matchKeyType().isPersonal();
    if (!outbox.hasPending(Outbox.RECEIPTS) && !deadline.isSpent()) {
      try {
        purchasePath.send(request, deadline);
        return new ReceiptOutcome(
            ReceiptOutcome.Delivery.DELIVERED,
            source,
            contact.matchKeyType(),
            since(started),
            null);
      } catch (StamkundException e) {
        if (!e.isRetryable()) {
          long id =
              outbox.enqueue(Outbox.RECEIPTS, request, receipt.uniqueReceiptId(), personal, 0);
          outbox.dead(id, Objects.requireNonNullElse(e.getMessage(), "refused"));
          return new ReceiptOutcome(
              ReceiptOutcome.Delivery.REJECTED,
              source,
              contact.matchKeyType(),
              since(started),
              e.errorCode());
        }
      }
    }
    outbox.enqueue(Outbox.RECEIPTS, request, receipt.uniqueReceiptId(), personal, 0);
    replayer.wake();
    return new ReceiptOutcome(
        ReceiptOutcome.Delivery.BUFFERED, source, contact.matchKeyType(), since(started), null);
  }

  private record Tag(Receipt.@Nullable ReceiptContact contact, ReceiptOutcome.KeySource source) {}

  private Tag tag(Shopper shopper, Deadline deadline) {
    if (present(shopper.contactId())) {
      return new Tag(
          new Receipt.ReceiptContact(
              Objects.requireNonNull(shopper.contactId()), MatchKeyType.CONTACT_ID, null),
          ReceiptOutcome.KeySource.CONTACT_ID);
    }
    if (present(shopper.memberNumber())) {
      return new Tag(
          new Receipt.ReceiptContact(
              Objects.requireNonNull(shopper.memberNumber()).strip(),
              MatchKeyType.MEMBER_NUMBER,
              null),
          ReceiptOutcome.KeySource.MEMBER_NUMBER);
    }
    if (shopper.isAnonymous()) {
      return new Tag(null, ReceiptOutcome.KeySource.NONE);
    }
    boolean engineDown = false;
    for (Probe probe : probes(shopper)) {
      if (deadline.isSpent()) {
        engineDown = true;
        break;
      }
      try {
        Optional<String> id = purchasePath.contactIdWithin(probe.key, probe.value, deadline);
        if (id.isPresent()) {
          return new Tag(
              new Receipt.ReceiptContact(id.get(), MatchKeyType.CONTACT_ID, null),
              ReceiptOutcome.KeySource.ENGINE_LOOKUP);
        }
      } catch (StamkundException e) {
        if (e.isRetryable()) {
          engineDown = true;
          break;
        }
        // 409 MultipleMatches or a malformed value: try the next key, then the secondary key.
      }
    }
    ContactReplica r = replica;
    if (engineDown && r != null) {
      for (Probe probe : probes(shopper)) {
        Optional<ReplicaHit> hit = r.find(probe.key, probe.value);
        if (hit.isPresent()) {
          return new Tag(
              new Receipt.ReceiptContact(hit.get().contact().id(), MatchKeyType.CONTACT_ID, null),
              ReceiptOutcome.KeySource.REPLICA);
        }
      }
    }
    Receipt.ReceiptContact secondary = secondary(shopper);
    return new Tag(
        secondary,
        secondary == null ? ReceiptOutcome.KeySource.NONE : ReceiptOutcome.KeySource.SECONDARY_KEY);
  }

  private Receipt.@Nullable ReceiptContact secondary(Shopper shopper) {
    String preferred = shopper.value(secondaryKey);
    if (preferred != null) {
      return new Receipt.ReceiptContact(preferred, secondaryKey.matchKeyType(), null);
    }
    for (SecondaryKey k : SecondaryKey.values()) {
      String v = shopper.value(k);
      if (v != null) {
        return new Receipt.ReceiptContact(v, k.matchKeyType(), null);
      }
    }
    String ssn = shopper.socialSecurityNumber();
    if (present(ssn)) {
      return new Receipt.ReceiptContact(
          Objects.requireNonNull(ssn).strip(), MatchKeyType.SOCIAL_SECURITY_NUMBER, null);
    }
    return null;
  }

  private record Probe(ContactKey key, String value) {}

  private static List<Probe> probes(Shopper shopper) {
    List<Probe> probes = new java.util.ArrayList<>();
    if (present(shopper.email())) {
      probes.add(new Probe(ContactKey.EMAIL, Objects.requireNonNull(shopper.email()).strip()));
    }
    if (present(shopper.mobilePhone())) {
      probes.add(
          new Probe(
              ContactKey.MOBILE_PHONE, Objects.requireNonNull(shopper.mobilePhone()).strip()));
    }
    if (present(shopper.socialSecurityNumber())) {
      probes.add(
          new Probe(
              ContactKey.SOCIAL_SECURITY_NUMBER,
              Objects.requireNonNull(shopper.socialSecurityNumber()).strip()));
    }
    return probes;
  }

  /**
   * Looks a contact up by key within the purchase budget; when the engine is unavailable, asks the
   * replica and reports its age.
   *
   * @param contactType the type to search, or null for any
   */
  public LookupResult lookup(ContactKey key, String value, @Nullable String contactType) {
    Deadline deadline = Deadline.after(purchasePath.budget());
    String reason;
    try {
      Optional<String> id = purchasePath.contactIdWithin(key, value, contactType, deadline);
      if (id.isEmpty()) {
        return new LookupResult.NotFound();
      }
      Optional<Contact> contact = purchasePath.contactWithin(id.get(), deadline);
      if (contact.isPresent()) {
        return new LookupResult.FromEngine(contact.get());
      }
      return new LookupResult.NotFound();
    } catch (StamkundException e) {
      if (!e.isRetryable()) {
        throw e;
      }
      reason = Objects.requireNonNullElse(e.getMessage(), "engine unavailable");
    }
    ContactReplica r = replica;
    if (r != null) {
      Optional<ReplicaHit> hit = r.find(key, value);
      if (hit.isPresent()) {
        return new LookupResult.FromReplica(hit.get().contact(), hit.get().age());
      }
    }
    return new LookupResult.Unavailable(reason);
  }

  /**
   * Sends {@code request} within the purchase budget, or buffers it at the end of {@code kind}'s
   * queue (always buffered while that queue has waiting entries, to keep their order).
   *
   * @param correlationId the caller's reference for {@link OutboxListener}, or null
   * @param personal whether the request carries personal data
   * @param maxAttempts attempts before a buffered entry is given up as dead; 0 for no limit
   * @return the answer, or empty when the request was buffered
   * @throws StamkundException when the engine refused the request (not buffered)
   */
  public Optional<ApiResponse> deliver(
      String kind,
      ApiRequest request,
      @Nullable String correlationId,
      boolean personal,
      int maxAttempts) {
    return deliver(kind, request, correlationId, personal, maxAttempts, purchasePath.budget());
  }

  /** As {@link #deliver(String, ApiRequest, String, boolean, int)} with another budget. */
  public Optional<ApiResponse> deliver(
      String kind,
      ApiRequest request,
      @Nullable String correlationId,
      boolean personal,
      int maxAttempts,
      Duration budget) {
    if (!outbox.hasPending(kind)) {
      try {
        return Optional.of(client.send(request, Deadline.after(budget)));
      } catch (StamkundException e) {
        if (!e.isRetryable()) {
          throw e;
        }
      }
    }
    outbox.enqueue(kind, request, correlationId, personal, maxAttempts);
    replayer.wake();
    return Optional.empty();
  }

  /** Runs one outbox pass now on the caller's thread; returns how many were delivered. */
  public int replayNow() {
    outbox.purgeExpired();
    return replayer.replayOnce();
  }

  /** Syncs the replica now on the caller's thread. */
  public ContactReplica.SyncResult syncReplicaNow() {
    ContactReplica r = replica;
    if (r == null) {
      throw new IllegalStateException("the replica is off");
    }
    return r.sync();
  }

  /** Queue depth, oldest item, last success, circuit state and replica age. */
  public ConnectorStatus status() {
    ContactReplica r = replica;
    CircuitBreaker breaker = client.circuitBreaker();
    return new ConnectorStatus(
        outbox.status(),
        breaker.state(),
        breaker.timesOpened(),
        r == null ? 0 : r.size(),
        r == null ? null : r.age());
  }

  /** The client (default budget). */
  public StamkundClient client() {
    return client;
  }

  /** The outbox. */
  public Outbox outbox() {
    return outbox;
  }

  /** The replica, or null when it is off. */
  public @Nullable ContactReplica replica() {
    return replica;
  }

  /** The wall clock in use. */
  public InstantSource clock() {
    return clock;
  }

  /** The directory of the connector's files (other features keep theirs beside them). */
  public Path directory() {
    return directory;
  }

  /** How long anything may stay in the connector's files before it is purged. */
  public Duration retention() {
    return retention;
  }

  @Override
  public synchronized void close() {
    replayer.close();
    java.util.concurrent.ScheduledFuture<?> sync = replicaSync;
    if (sync != null) {
      sync.cancel(false);
    }
    ScheduledExecutorService s = replicaScheduler;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ContactReplica r = replica;
    if (r != null) {
      r.close();
    }
    outbox.close();
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static boolean present(@Nullable String v) {
    return v != null && !v.isBlank();
  }

  /** Builds a {@link StamkundConnector}; {@link #build()} rejects bad values. */
  public static final class Builder {
    private @Nullable StamkundClient client;
    private @Nullable Path directory;
    private SecondaryKey secondaryKey = SecondaryKey.MOBILE_PHONE;
    private Duration retention = Duration.ofDays(14);
    private Duration replayInterval = Duration.ofSeconds(1);
    private int replayBatch = 500;
    private Backoff replayBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2);
    private boolean replica = true;
    private Duration replicaSyncInterval = Duration.ofMinutes(1);
    private int replicaPageSize = 1000;
    private String defaultCallingCode = "46";
    private OutboxListener listener = OutboxListener.NONE;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** The client; required. */
    public Builder client(StamkundClient c) {
      this.client = c;
      return this;
    }

    /** Where {@code outbox.db} and {@code replica.db} live; required. */
    public Builder directory(Path dir) {
      this.directory = dir;
      return this;
    }

    /** The key receipts fall back to; default {@link SecondaryKey#MOBILE_PHONE}. */
    public Builder secondaryKey(SecondaryKey key) {
      this.secondaryKey = key;
      return this;
    }

    /** How long anything may stay in the outbox; default 14 days. */
    public Builder retention(Duration d) {
      this.retention = d;
      return this;
    }

    /** Pause between outbox passes; default 1 s. */
    public Builder replayInterval(Duration d) {
      this.replayInterval = d;
      return this;
    }

    /** Most entries of one queue sent per pass; default 500. */
    public Builder replayBatch(int n) {
      this.replayBatch = n;
      return this;
    }

    /** Waits of a failing queue head; default 200 ms doubling to 30 s, jittered. */
    public Builder replayBackoff(Backoff b) {
      this.replayBackoff = b;
      return this;
    }

    /** Whether to keep a local contact replica; default true. */
    public Builder replica(boolean on) {
      this.replica = on;
      return this;
    }

    /** Pause between replica syncs; default 1 minute. */
    public Builder replicaSyncInterval(Duration d) {
      this.replicaSyncInterval = d;
      return this;
    }

    /** Feed changes read per page; default 1000. */
    public Builder replicaPageSize(int n) {
      this.replicaPageSize = n;
      return this;
    }

    /** Calling code for national phone numbers in replica lookups; default {@code 46}. */
    public Builder defaultCallingCode(String code) {
      this.defaultCallingCode = code;
      return this;
    }

    /** Hears delivered and dead outbox entries; default none. */
    public Builder listener(OutboxListener l) {
      this.listener = l;
      return this;
    }

    /** The wall clock (tests); default the system clock. */
    public Builder clock(InstantSource c) {
      this.clock = c;
      return this;
    }

    /** The connector (files opened, nothing started). */
    public StamkundConnector build() {
      StamkundClient c = client;
      if (c == null) {
        throw new IllegalArgumentException("client is required");
      }
      Path dir = directory;
      if (dir == null) {
        throw new IllegalArgumentException("directory is required");
      }
      Objects.requireNonNull(secondaryKey, "secondaryKey");
      Objects.requireNonNull(listener, "listener");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(replayBackoff, "replayBackoff");
      positive(retention, "retention");
      positive(replayInterval, "replayInterval");
      positive(replicaSyncInterval, "replicaSyncInterval");
      if (replayBatch < 1) {
        throw new IllegalArgumentException("replayBatch must be at least 1: " + replayBatch);
      }
      if (replicaPageSize < 1 || replicaPageSize > 10_000) {
        throw new IllegalArgumentException("replicaPageSize must be 1-10000: " + replicaPageSize);
      }
      if (!defaultCallingCode.matches("\\d{1,4}")) {
        throw new IllegalArgumentException("defaultCallingCode must be 1-4 digits");
      }
      return new StamkundConnector(this, c, dir);
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }
}
