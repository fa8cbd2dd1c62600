package org.stamkund.connector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A typed client for the Engage v2 operations shops use, against Stamkund or Voyado Engage.
 *
 * <p>Every call has a time budget: the whole call, retries and waits included, ends within it.
 * Calls are retried with exponential backoff and full jitter on connection errors, 408, 429
 * (honouring {@code Retry-After}) and 5xx, but never past the budget. A circuit breaker shared by
 * all calls of a client refuses calls at once while the engine is known to be down. A call that
 * gets no usable answer throws {@link EngineUnavailableException}; a refusal (other 4xx) throws
 * {@link StamkundException} with the status and Engage's {@code errorCode}.
 *
 * <p>{@link #onPurchasePath()} gives a view of the same client with the purchase budget (default
 * 300 ms) for calls a shopper waits on. Thread-safe.
 */
public final class StamkundClient implements AutoCloseable {

  private static final String SEG = "/api/v2";

  private final Core core;
  private final Duration budget;

  private StamkundClient(Core core, Duration budget) {
    this.core = core;
    this.budget = budget;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** This client with the purchase-path budget, sharing connections and circuit breaker. */
  public StamkundClient onPurchasePath() {
    return withBudget(core.purchaseBudget);
  }

  /** This client with another budget per call, sharing connections and circuit breaker. */
  public StamkundClient withBudget(Duration callBudget) {
    requirePositive(callBudget, "callBudget");
    return new StamkundClient(core, callBudget);
  }

  /** The budget of each call of this view. */
  public Duration budget() {
    return budget;
  }

  /** The purchase-path budget this client was built with. */
  public Duration purchaseBudget() {
    return core.purchaseBudget;
  }

  /** The circuit breaker shared by all views of this client. */
  public CircuitBreaker circuitBreaker() {
    return core.breaker;
  }

  // ---------------------------------------------------------------------------------------------
  // contacts

  /** {@code GET /contacts/{id}}; empty when the engine answers 404. */
  public Optional<Contact> contact(String contactId) {
    return optional(ApiRequest.get("contacts.get", SEG + "/contacts/" + seg(contactId)))
        .map(Contact::of);
  }

  /** {@code GET /contacts/{contactType}/bykey/{keyValue}}; empty on 404. */
  public Optional<Contact> contactByKey(String contactType, String keyValue) {
    return optional(
            ApiRequest.get(
                "contacts.byKey",
                SEG + "/contacts/" + seg(contactType) + "/bykey/" + seg(keyValue)))
        .map(Contact::of);
  }

  /** {@code GET /contacts/{contactType}/byexternalid/{externalId}}; empty on 404. */
  public Optional<Contact> contactByExternalId(String contactType, String externalId) {
    return optional(
            ApiRequest.get(
                "contacts.byExternalId",
                SEG + "/contacts/" + seg(contactType) + "/byexternalid/" + seg(externalId)))
        .map(Contact::of);
  }

  /**
   * {@code GET /contacts/id}: the id of the one contact holding {@code value}; empty on 404. A
   * value held by several contacts throws with status 409 and {@code MultipleMatches}.
   *
   * @param contactType the type to search, or null for any
   */
  public Optional<String> contactId(ContactKey key, String value, @Nullable String contactType) {
    ApiRequest request =
        ApiRequest.get("contacts.id", SEG + "/contacts/id")
            .query("contactType", contactType)
            .query(key.parameter(), value);
    return optional(request).map(JsonNode::asString);
  }

  /** As {@link #contactId}, ending by {@code deadline} (shared with other calls). */
  public Optional<String> contactIdWithin(
      ContactKey key, String value, @Nullable String contactType, Deadline deadline) {
    ApiRequest request =
        ApiRequest.get("contacts.id", SEG + "/contacts/id")
            .query("contactType", contactType)
            .query(key.parameter(), value);
    return optional(request, deadline).map(JsonNode::asString);
  }

  /** As {@link #contactId} for any contact type, ending by {@code deadline}. */
  public Optional<String> contactIdWithin(ContactKey key, String value, Deadline deadline) {
    return contactIdWithin(key, value, null, deadline);
  }

  /** As {@link #contact}, ending by {@code deadline}. */
  public Optional<Contact> contactWithin(String contactId, Deadline deadline) {
    return optional(ApiRequest.get("contacts.get", SEG + "/contacts/" + seg(contactId)), deadline)
        .map(Contact::of);
  }

  /**
   * {@code POST /contacts}: creates a contact.
   *
   * @param attributes the flat attributes, with {@code contactType}, {@code preferences} and {@code
   *     consents} as Engage takes them
   * @param source the {@code source} header (who registered the contact), or null
   * @param storeExternalId the {@code storeExternalId} header (recruiting store), or null
   */
  public Contact createContact(
      ObjectNode attributes, @Nullable String source, @Nullable String storeExternalId) {
    return Contact.of(send(createContactRequest(attributes, source, storeExternalId)).json());
  }

  /** The request {@link #createContact} sends (for the outbox). */
  public static ApiRequest createContactRequest(
      ObjectNode attributes, @Nullable String source, @Nullable String storeExternalId) {
    return ApiRequest.post("contacts.create", SEG + "/contacts", attributes)
        .header("source", source)
        .header("storeExternalId", storeExternalId);
  }

  /** {@code POST /contacts/{id}}: a partial update (absent fields untouched). */
  public Contact updateContact(String contactId, ObjectNode changes) {
    return Contact.of(send(updateContactRequest(contactId, changes)).json());
  }

  /** The request {@link #updateContact} sends (for the outbox). */
  public static ApiRequest updateContactRequest(String contactId, ObjectNode changes) {
    return ApiRequest.post("contacts.update", SEG + "/contacts/" + seg(contactId), changes);
  }

  /** {@code POST /contacts/{id}/promoteToMember} with the attributes a Member needs. */
  public Contact promoteToMember(String contactId, ObjectNode attributes, @Nullable String source) {
    return Contact.of(
        send(ApiRequest.post(
                    "contacts.promoteToMember",
                    SEG + "/contacts/" + seg(contactId) + "/promoteToMember",
                    attributes)
                .header("source", source))
            .json());
  }

  /** {@code POST /contacts/{id}/updateContactType?contactTypeId=}. */
  public void updateContactType(String contactId, String contactTypeId) {
    send(
        ApiRequest.post(
                "contacts.updateContactType",
                SEG + "/contacts/" + seg(contactId) + "/updateContactType",
                null)
            .query("contactTypeId", contactTypeId));
  }

  /** {@code DELETE /contacts/{id}}; false when the engine answers 404. */
  public boolean deleteContact(String contactId, @Nullable String source) {
    try {
      send(deleteContactRequest(contactId, source));
      return true;
    } catch (StamkundException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    }
  }

  /** The request {@link #deleteContact} sends (for the outbox). */
  public static ApiRequest deleteContactRequest(String contactId, @Nullable String source) {
    return ApiRequest.delete("contacts.delete", SEG + "/contacts/" + seg(contactId))
        .header("source", source);
  }

  /**
   * {@code GET /contacts/changes/feed}: one page of the cursor feed.
   *
   * @param after the previous page's {@code next}, or null to start at the beginning
   * @param count at most this many changes (1–10,000 on Stamkund)
   */
  public ChangesPage changes(@Nullable String after, int count) {
    JsonNode page =
        send(ApiRequest.get("contacts.changesFeed", SEG + "/contacts/changes/feed")
                .query("after", after)
                .query("count", count))
            .json();
    List<ChangesPage.Change> changes = new ArrayList<>();
    for (JsonNode c : page.path("changes")) {
      changes.add(
          new ChangesPage.Change(
              Objects.requireNonNull(Json.text(c, "cursor"), "cursor"),
              Objects.requireNonNull(Json.text(c, "contactId"), "contactId"),
              Objects.requireNonNullElse(Json.text(c, "changeType"), "Updated"),
              Objects.requireNonNullElse(Json.text(c, "changedAt"), "")));
    }
    String next = Json.text(page, "next");
    return new ChangesPage(
        changes,
        next == null ? (after == null ? "" : after) : next,
        page.path("hasMore").asBoolean());
  }

  // ---------------------------------------------------------------------------------------------
  // receipts and orders

  /** {@code POST /receipts}; a repeat of the same {@code uniqueReceiptId} has no effect. */
  public void sendReceipt(Receipt receipt) {
    send(receiptRequest(receipt));
  }

  /** The request {@link #sendReceipt} sends (for the outbox). */
  public static ApiRequest receiptRequest(Receipt receipt) {
    return ApiRequest.post("receipts.create", SEG + "/receipts", receipt.toJson());
  }

  /** {@code POST /orders}: an order status for transactional messages (Engage §3.6). */
  public void sendOrder(ObjectNode order) {
    send(orderRequest(order));
  }

  /** The request {@link #sendOrder} sends (for the outbox). */
  public static ApiRequest orderRequest(ObjectNode order) {
    return ApiRequest.post("orders.create", SEG + "/orders", order);
  }

  // ---------------------------------------------------------------------------------------------
  // reward vouchers (bonus checks)

  /**
   * {@code GET /contacts/{id}/bonuschecks[/available|/redeemed]}: a page of vouchers.
   *
   * @param filter null for all, {@code available} or {@code redeemed}
   */
  public JsonNode bonusChecks(String contactId, @Nullable String filter, int offset, int count) {
    return send(bonusChecksRequest(contactId, filter, offset, count)).json();
  }

  /** The request {@link #bonusChecks} sends (to send within a shared {@link Deadline}). */
  public static ApiRequest bonusChecksRequest(
      String contactId, @Nullable String filter, int offset, int count) {
    String path = SEG + "/contacts/" + seg(contactId) + "/bonuschecks";
    if (filter != null) {
      path += "/" + seg(filter);
    }
    return ApiRequest.get("bonusChecks.list", path).query("offset", offset).query("count", count);
  }

  /** {@code POST /contacts/{id}/bonuschecks/{bonusCheckId}/redeem}. */
  public JsonNode redeemBonusCheck(String contactId, String bonusCheckId) {
    return send(redeemBonusCheckRequest(contactId, bonusCheckId)).json();
  }

  /** The request {@link #redeemBonusCheck} sends (for the outbox). */
  public static ApiRequest redeemBonusCheckRequest(String contactId, String bonusCheckId) {
    return ApiRequest.post(
        "bonusChecks.redeem",
        SEG + "/contacts/" + seg(contactId) + "/bonuschecks/" + seg(bonusCheckId) + "/redeem",
        null);
  }

  /** {@code POST /promotions/reward-vouchers/{id}/reactivate}: undoes a redemption. */
  public void reactivateRewardVoucher(String voucherId) {
    send(reactivateRewardVoucherRequest(voucherId));
  }

  /** The request {@link #reactivateRewardVoucher} sends (for the outbox). */
  public static ApiRequest reactivateRewardVoucherRequest(String voucherId) {
    return ApiRequest.post(
        "rewardVouchers.reactivate",
        SEG + "/promotions/reward-vouchers/" + seg(voucherId) + "/reactivate",
        null);
  }

  // ---------------------------------------------------------------------------------------------
  // promotions

  /**
   * {@code GET /contacts/{id}/promotions}: the contact's usable promotions.
   *
   * @param channel POS, ECOM or OTHER; null for all
   */
  public JsonNode promotions(String contactId, @Nullable String channel) {
    return send(ApiRequest.get(
                "promotions.forContact", SEG + "/contacts/" + seg(contactId) + "/promotions")
            .query("redemptionChannelType", channel))
        .json();
  }

  /**
   * {@code GET /promotions/codes/{id}/check}: whether the contact can use the promotion instance
   * now ({@code {id, usable, errorCode, message, promotion}}).
   */
  public JsonNode checkPromotion(String instanceId, String contactId, @Nullable String channel) {
    return send(ApiRequest.get(
                "promotions.check", SEG + "/promotions/codes/" + seg(instanceId) + "/check")
            .query("contactId", contactId)
            .query("redemptionChannelType", channel))
        .json();
  }

  /** {@code POST /promotions/codes/{id}/redeem} with {@code {"redemptionChannel": channel}}. */
  public JsonNode redeemPromotion(String instanceId, String channel) {
    return send(redeemPromotionRequest(instanceId, channel)).json();
  }

  /** The request {@link #redeemPromotion} sends (for the outbox). */
  public static ApiRequest redeemPromotionRequest(String instanceId, String channel) {
    ObjectNode body = Json.object().put("redemptionChannel", channel);
    return ApiRequest.post(
        "promotions.redeem", SEG + "/promotions/codes/" + seg(instanceId) + "/redeem", body);
  }

  // ---------------------------------------------------------------------------------------------
  // points and stores

  /** {@code GET /point-accounts?contactId=}: the contact's point accounts (paged envelope). */
  public JsonNode pointAccounts(String contactId) {
    return send(ApiRequest.get("pointAccounts.list", SEG + "/point-accounts")
            .query("contactId", contactId))
        .json();
  }

  /** {@code GET /stores}: every active store (all with {@code includeInactive}). */
  public JsonNode stores(boolean includeInactive) {
    return send(ApiRequest.get("stores.list", SEG + "/stores")
            .query("includeInactive", includeInactive))
        .json();
  }

  /** {@code GET /stores/{externalId}}; empty on 404. */
  public Optional<JsonNode> store(String externalId) {
    return optional(ApiRequest.get("stores.get", SEG + "/stores/" + seg(externalId)));
  }

  /** {@code POST /stores}: creates a store. */
  public JsonNode createStore(ObjectNode store) {
    return send(ApiRequest.post("stores.create", SEG + "/stores", store)).json();
  }

  // ---------------------------------------------------------------------------------------------
  // the machinery

  /**
   * Sends {@code request} within this view's budget, with retries and the circuit breaker.
   *
   * @throws EngineUnavailableException when no usable answer came in time
   * @throws StamkundException when the engine refused the call (4xx other than 408 and 429)
   */
  public ApiResponse send(ApiRequest request) {
    return send(request, Deadline.after(budget, core.nanoTime));
  }

  /** Sends {@code request}, ending by {@code deadline} (shared by several calls). */
  public ApiResponse send(ApiRequest request, Deadline deadline) {
    return core.execute(request, deadline);
  }

  private Optional<JsonNode> optional(ApiRequest request) {
    return optional(request, Deadline.after(budget, core.nanoTime));
  }

  private Optional<JsonNode> optional(ApiRequest request, Deadline deadline) {
    try {
      return Optional.of(send(request, deadline).json());
    } catch (StamkundException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Encodes one path segment. */
  static String seg(String value) {
    return ApiRequest.encode(value);
  }

  @Override
  public void close() {
    core.http.close();
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Builds a {@link StamkundClient}; {@link #build()} rejects bad values. */
  public static final class Builder {
    private @Nullable URI baseUrl;
    private @Nullable String apiKey;
    private String userAgent = "StamkundConnector/0.1";
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration callBudget = Duration.ofSeconds(15);
    private Duration purchaseBudget = Duration.ofMillis(300);
    private int maxAttempts = 4;
    private Backoff backoff = Backoff.DEFAULT;
    private CircuitBreaker.Config breaker = CircuitBreaker.Config.DEFAULT;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** The engine's base URL, e.g. {@code https://engine.example.com}; required. */
    public Builder baseUrl(String url) {
      this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      return this;
    }

    /** The API key, sent as the {@code apikey} header; required. */
    public Builder apiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /** The {@code User-Agent} ({@code System/Version}); default {@code StamkundConnector/0.1}. */
    public Builder userAgent(String agent) {
      this.userAgent = agent;
      return this;
    }

    /** Connect timeout of one attempt; default 2 s (a call's budget still bounds it). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Timeout of one attempt; default 10 s (a call's budget still bounds it). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Budget of each call of the default view, retries included; default 15 s. */
    public Builder callBudget(Duration budget) {
      this.callBudget = budget;
      return this;
    }

    /** Budget of calls on the purchase path ({@link #onPurchasePath()}); default 300 ms. */
    public Builder purchaseBudget(Duration budget) {
      this.purchaseBudget = budget;
      return this;
    }

    /** Attempts per call, first one included; default 4. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /** Waits between attempts; default 50 ms doubling to 2 s, full jitter. */
    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    /** Circuit breaker thresholds; default 5 failures in a row, open 5 s, one probe. */
    public Builder circuitBreaker(CircuitBreaker.Config config) {
      this.breaker = config;
      return this;
    }

    /** The monotonic clock (tests); default {@code System::nanoTime}. */
    public Builder nanoTime(LongSupplier clock) {
      this.nanoTime = clock;
      return this;
    }

    /** The client. */
    public StamkundClient build() {
      URI url = baseUrl;
      if (url == null || url.getScheme() == null || url.getHost() == null) {
        throw new IllegalArgumentException("baseUrl is required (http or https with a host)");
      }
      if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
        throw new IllegalArgumentException("baseUrl must be http or https: " + url.getScheme());
      }
      String key = apiKey;
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("apiKey is required");
      }
      if (userAgent.isBlank()) {
        throw new IllegalArgumentException("userAgent must not be blank");
      }
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(requestTimeout, "requestTimeout");
      requirePositive(callBudget, "callBudget");
      requirePositive(purchaseBudget, "purchaseBudget");
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      Core core =
          new Core(
              url,
              key,
              userAgent,
              connectTimeout,
              requestTimeout,
              purchaseBudget,
              maxAttempts,
              backoff,
              new CircuitBreaker(breaker, nanoTime),
              nanoTime);
      return new StamkundClient(core, callBudget);
    }
  }

  /** What all views of one client share. */
  private static final class Core {
    final URI baseUrl;
    final String apiKey;
    final String userAgent;
    final Duration requestTimeout;
    final Duration purchaseBudget;
    final int maxAttempts;
    final Backoff backoff;
    final CircuitBreaker breaker;
    final LongSupplier nanoTime;
    final HttpClient http;

    Core(
        URI baseUrl,
        String apiKey,
        String userAgent,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration purchaseBudget,
        int maxAttempts,
        Backoff backoff,
        CircuitBreaker breaker,
        LongSupplier nanoTime) {
      this.baseUrl = baseUrl;
      this.apiKey = apiKey;
      this.userAgent = userAgent;
      this.requestTimeout = requestTimeout;
      this.purchaseBudget = purchaseBudget;
      this.maxAttempts = maxAttempts;
      this.backoff = backoff;
      this.breaker = breaker;
      this.nanoTime = nanoTime;
      this.http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }

    ApiResponse execute(ApiRequest request, Deadline deadline) {
      int attempt = 0;
      int lastStatus = 0;
      String lastProblem = "no attempt made";
      while (true) {
        long remaining = deadline.remainingNanos();
        if (remaining <= 0) {
          throw new EngineUnavailableException(
              lastStatus, request.operation() + ": time budget spent (" + lastProblem + ")");
        }
        if (!breaker.tryAcquire()) {
          throw new EngineUnavailableException(
              lastStatus, request.operation() + ": circuit breaker open");
        }
        attempt++;
        long timeout = Math.min(remaining, requestTimeout.toNanos());
        @Nullable Duration retryAfter = null;
        @Nullable CompletableFuture<HttpResponse<String>> future = null;
        try {
          future = http.sendAsync(build(request, timeout), HttpResponse.BodyHandlers.ofString());
          HttpResponse<String> response = future.get(timeout, TimeUnit.NANOSECONDS);
          int status = response.statusCode();
          lastStatus = status;
          String body = Objects.requireNonNullElse(response.body(), "");
          if (status >= 500) {
            breaker.onFailure();
            lastProblem = "answered " + status;
          } else {
            breaker.onSuccess();
            if (status >= 200 && status < 300) {
              return new ApiResponse(status, body);
            }
            if (status != 429 && status != 408) {
              throw refusal(request, status, body);
            }
            lastProblem = "answered " + status;
            retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
          }
        } catch (TimeoutException e) {
          if (future != null) {
            future.cancel(true);
          }
          breaker.onFailure();
          lastProblem = "no answer in " + Duration.ofNanos(timeout).toMillis() + " ms";
        } catch (ExecutionException e) {
          breaker.onFailure();
          Throwable cause = e.getCause() == null ? e : e.getCause();
          lastProblem = cause.getClass().getSimpleName();
        } catch (InterruptedException e) {
          if (future != null) {
            future.cancel(true);
          }
          breaker.onFailure();
          Thread.currentThread().interrupt();
          throw new EngineUnavailableException(lastStatus, request.operation() + ": interrupted");
        } catch (IllegalArgumentException e) {
          breaker.onSuccess();
          throw e;
        }
        if (attempt >= maxAttempts) {
          throw new EngineUnavailableException(
              lastStatus,
              request.operation()
                  + ": gave up after "
                  + attempt
                  + " attempts ("
                  + lastProblem
                  + ")");
        }
        Duration wait =
            retryAfter != null
                ? retryAfter
                : backoff.delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
        if (wait.toNanos() >= deadline.remainingNanos()) {
          throw new EngineUnavailableException(
              lastStatus,
              request.operation()
                  + ": next retry would pass the time budget ("
                  + lastProblem
                  + ")");
        }
        try {
          TimeUnit.NANOSECONDS.sleep(wait.toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineUnavailableException(lastStatus, request.operation() + ": interrupted");
        }
      }
    }

    private HttpRequest build(ApiRequest request, long timeoutNanos) {
      HttpRequest.BodyPublisher publisher =
          request.body() == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(request.body());
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl + request.target()))
              .timeout(Duration.ofNanos(Math.max(timeoutNanos, 1_000_000)))
              .header("apikey", apiKey)
              .header("User-Agent", userAgent)
              .header("Accept", "application/json")
              .method(request.method(), publisher);
      boolean typed =
          request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
      if (request.body() != null && !typed) {
        b.header("Content-Type", "application/json");
      }
      for (Map.Entry<String, String> h : request.headers().entrySet()) {
        b.header(h.getKey(), h.getValue());
      }
      return b.build();
    }

    private static StamkundException refusal(ApiRequest request, int status, String body) {
      String code = null;
      try {
        JsonNode envelope = Json.parse(body);
        if (envelope.isObject()) {
          code = Json.text(envelope, "errorCode");
        }
      } catch (RuntimeException notJson) {
        // the body was not the error envelope; the status alone tells
      }
      return new StamkundException(
          status,
          code,
          request.operation() + ": answered " + status + (code == null ? "" : " " + code),
          body);
    }
  }

  /** Parses {@code Retry-After}: delta seconds or an HTTP date. Null when absent or unreadable. */
  static @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }
}
