package org.stamkund.server.contacts;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times the two key lookups ({@link KeyLookupFilter#route}) in {@code http.server.requests} with
 * the tags Spring's request observation gives them, in place of that observation: creating, tagging
 * and stopping one per request cost a tenth of a lookup's server CPU (docs/performance.md). A
 * lookup's timer is looked up once per route and status.
 *
 * <p>It runs right after Spring's observation filter, which it tells to skip these requests, so it
 * times what that filter would: the API key check, the lookup, and the controller when the lookup
 * filter leaves a request to it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class LookupTimingFilter extends OncePerRequestFilter implements ObservationPredicate {

  private static final DefaultServerRequestObservationConvention CONVENTION =
      new DefaultServerRequestObservationConvention();

  private final MeterRegistry registry;
  private final Map<Outcome, Timer> timers = new ConcurrentHashMap<>();

  LookupTimingFilter(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Spring's request observation skips the requests this filter times. */
  @Override
  public boolean test(String name, Observation.Context context) {
    return !(context instanceof ServerRequestObservationContext request
        && request.getCarrier() != null
        && KeyLookupFilter.route(request.getCarrier()) != null);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String route = KeyLookupFilter.route(request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    long started = System.nanoTime();
    Throwable error = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      // As Spring's observation does: a request that failed with an exception is a 500.
      error = e;
      response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      throw e;
    } finally {
      timer(route, request, response, error)
          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private record Outcome(String route, int status) {}

  private Timer timer(
      String route,
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Throwable error) {
    if (error != null) {
      return register(route, request, response, error);
    }
    return timers.computeIfAbsent(
        new Outcome(route, response.getStatus()),
        outcome -> register(route, request, response, null));
  }

  /** The timer Spring's observation would have recorded the request in, with the same tags. */
  private Timer register(
      String route,
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Throwable error) {
    ServerRequestObservationContext context =
        new ServerRequestObservationContext(request, response);
    context.setPathPattern(route);
    if (error != null) {
      context.setError(error);
    }
    Tags tags = Tags.of("error", error == null ? "none" : error.getClass().getSimpleName());
    for (KeyValue value : CONVENTION.getLowCardinalityKeyValues(context)) {
      tags = tags.and(value.getKey(), value.getValue());
    }
    return Timer.builder(CONVENTION.getName()).tags(tags).register(registry);
  }
}
