package org.stamkund.server.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The delivery worker of one node. A loop fans new outbox events out to subscriptions, claims due
 * deliveries with a lease, and sends each on a virtual thread: at most {@code concurrency} at once,
 * at most {@code perSubscriptionConcurrency} to one subscription, each bounded by the connect and
 * request timeouts, so a slow subscriber holds only its own slots. All state is in PostgreSQL: a
 * node that stops or dies leaves leases that run out, and another node sends again (at least once).
 * Bodies and secrets are never logged.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int MAX_ERROR = 300;

  private final JdbcWebhookDeliveries store;
  private final WebhookSubscriptions subscriptions;
  private final WebhooksProperties properties;
  private final RetrySchedule schedule;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http;
  private final Semaphore slots;
  private final ConcurrentHashMap<UUID, Semaphore> perSubscription = new ConcurrentHashMap<>();
  private final Semaphore wakeUp = new Semaphore(0);

  private volatile boolean running;
  private @Nullable Thread loop;
  private @Nullable ExecutorService senders;

  WebhookDispatcher(
      JdbcWebhookDeliveries store,
      WebhookSubscriptions subscriptions,
      WebhooksProperties properties,
      JsonMapper json,
      Clock clock) {
    this.store = store;
    this.subscriptions = subscriptions;
    this.properties = properties;
    this.schedule =
        new RetrySchedule(
            properties.backoffBase(), properties.backoffCap(), properties.giveUpAfter());
    this.json = json;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.slots = new Semaphore(properties.concurrency());
  }

  @Override
  public synchronized void start() {
    if (running || !properties.enabled()) {
      return;
    }
    running = true;
    senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
    loop = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::run);
  }

  @Override
  public synchronized void stop() {
    running = false;
    Thread t = loop;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ExecutorService s = senders;
    if (s != null) {
      s.shutdownNow();
    }
    loop = null;
    senders = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    while (running) {
      boolean more = false;
      try {
        int read = store.fanOut(properties.batchSize(), clock.instant());
        more = read >= properties.batchSize();
        more |= dispatch();
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("webhook round failed: {}", e.getClass().getName());
      }
      if (!more) {
        try {
          wakeUp.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wakeUp.drainPermits();
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Claims what is due and this node has slots for; true when it filled every free slot. */
  private boolean dispatch() {
    int free = slots.availablePermits();
    if (free == 0) {
      return false;
    }
    Instant now = clock.instant();
    List<JdbcWebhookDeliveries.Due> due =
        store.due(now, properties.perSubscriptionConcurrency(), free);
    List<JdbcWebhookDeliveries.Due> chosen = new ArrayList<>();
    for (JdbcWebhookDeliveries.Due d : due) {
      Semaphore own = permits(d.subscriptionId());
      if (!slots.tryAcquire()) {
        break;
      }
      if (own.tryAcquire()) {
        chosen.add(d);
      } else {
        slots.release();
      }
    }
    List<JdbcWebhookDeliveries.Claimed> claimed;
    try {
      claimed = store.claim(chosen, UUID.randomUUID(), now, properties.lease());
    } catch (RuntimeException e) {
      chosen.forEach(this::giveBack);
      throw e;
    }
    for (JdbcWebhookDeliveries.Due d : chosen) {
      if (claimed.stream()
          .noneMatch(
              c ->
                  c.subscriptionId().equals(d.subscriptionId())
                      && c.eventId().equals(d.eventId()))) {
        giveBack(d);
      }
    }
    ExecutorService s = senders;
    for (JdbcWebhookDeliveries.Claimed c : claimed) {
      if (s == null || s.isShutdown()) {
        store.release(c);
        giveBack(new JdbcWebhookDeliveries.Due(c.subscriptionId(), c.eventId()));
        continue;
      }
      s.execute(
          () -> {
            try {
              send(c);
            } catch (RuntimeException e) {
              log.warn(
                  "webhook delivery {} to {} not recorded: {}",
                  c.eventId(),
                  c.subscriptionId(),
                  e.getClass().getName());
            } finally {
              giveBack(new JdbcWebhookDeliveries.Due(c.subscriptionId(), c.eventId()));
              wakeUp.release();
            }
          });
    }
    return !due.isEmpty() && claimed.size() == free;
  }

  private Semaphore permits(UUID subscription) {
    return perSubscription.computeIfAbsent(
        subscription, k -> new Semaphore(properties.perSubscriptionConcurrency()));
  }

  private void giveBack(JdbcWebhookDeliveries.Due d) {
    permits(d.subscriptionId()).release();
    slots.release();
  }

  /** One attempt: sign, POST, record the outcome and when to try again. */
  void send(JdbcWebhookDeliveries.Claimed c) {
    String body = body(c);
    String id = c.eventId().toString();
    Instant started = clock.instant();
    long timestamp = started.getEpochSecond();
    String signature =
        WebhookSignatures.sign(subscriptions.secret(c.secretCiphertext()), id, timestamp, body);
    Integer status = null;
    String error = null;
    long t0 = System.nanoTime();
    CompletableFuture<HttpResponse<Void>> response = null;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(c.url()))
              .timeout(properties.requestTimeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "Stamkund-Webhooks/1")
              .header("webhook-id", id)
              .header("webhook-timestamp", Long.toString(timestamp))
              .header("webhook-signature", signature)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      status =
          response
              .get(properties.requestTimeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)
              .statusCode();
    } catch (TimeoutException e) {
      if (response != null) {
        response.cancel(true);
      }
      error = "no answer within " + properties.requestTimeout();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      error = describe(cause);
    } catch (InterruptedException e) {
      // The node is stopping: give the delivery back for another attempt without counting this.
      if (response != null) {
        response.cancel(true);
      }
      store.release(c);
      Thread.currentThread().interrupt();
      return;
    } catch (IllegalArgumentException e) {
      error = "the subscription's URL cannot be used: " + e.getClass().getSimpleName();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    JdbcWebhookDeliveries.Attempt attempt =
        new JdbcWebhookDeliveries.Attempt(started, took, status, error);
    Instant next =
        attempt.delivered()
            ? null
            : schedule.next(
                c.queuedAt(),
                clock.instant(),
                c.failures() + 1,
                ThreadLocalRandom.current().nextDouble());
    if (!store.record(c, attempt, next)) {
      log.info("webhook delivery {} outlived its lease; another attempt follows", c.eventId());
    }
  }

  /** The JSON sent: {@code {"id","type","timestamp","contactId","data"}}. */
  String body(JdbcWebhookDeliveries.Claimed c) {
    ObjectNode node = json.createObjectNode();
    node.put("id", c.eventId().toString());
    node.put("type", c.type());
    node.put("timestamp", c.occurredAt().toString());
    if (c.contactId() == null) {
      node.putNull("contactId");
    } else {
      node.put("contactId", c.contactId().toString());
    }
    node.set("data", json.readTree(c.data()));
    return json.writeValueAsString(node);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
  }
}
