package org.stamkund.server.contacts;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Spring's request observation ({@code http.server.requests}), except for the two key lookups
 * ({@link KeyLookupFilter#route}): those it times itself, under the same name and with the tags the
 * observation gives them. Creating, tagging and stopping an observation per request cost a tenth of
 * a lookup's server CPU, and even a skipped one cost its context (docs/performance.md). A lookup's
 * timer is looked up once per route and status.
 *
 * <p>It takes the place of the observation filter Spring Boot would register, at its position
 * ({@link RequestTimingConfiguration}), so it times what that filter would: the API key check, the
 * lookup, and the controller when the lookup filter leaves a request to it.
 */
class LookupTimingFilter extends ServerHttpObservationFilter {

  private final ServerRequestObservationConvention convention;
  private final String name;
  private final MeterRegistry registry;
  private final Map<Outcome, Timer> timers = new ConcurrentHashMap<>();

  LookupTimingFilter(
      ObservationRegistry observations,
      ServerRequestObservationConvention convention,
      MeterRegistry registry) {
    super(observations, convention);
    this.convention = convention;
    String named = convention.getName();
    this.name = named == null ? "http.server.requests" : named;
    this.registry = registry;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String route = KeyLookupFilter.route(request);
    if (route == null) {
      super.doFilterInternal(request, response, chain);
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
    for (KeyValue value : convention.getLowCardinalityKeyValues(context)) {
      tags = tags.and(value.getKey(), value.getValue());
    }
    return Timer.builder(name).tags(tags).register(registry);
  }
}
