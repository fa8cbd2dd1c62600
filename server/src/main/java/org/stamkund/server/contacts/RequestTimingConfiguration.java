package org.stamkund.server.contacts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Registers {@link LookupTimingFilter} where Spring Boot registers its request observation filter,
 * with the same order, dispatcher types and convention; Spring Boot's then steps aside.
 */
@Configuration(proxyBeanMethods = false)
class RequestTimingConfiguration {

  @Bean
  FilterRegistrationBean<ServerHttpObservationFilter> requestTimingFilter(
      ObservationRegistry observations,
      ObjectProvider<ServerRequestObservationConvention> customConvention,
      ObservationProperties properties,
      MeterRegistry meters) {
    String name = properties.getHttp().getServer().getRequests().getName();
    ServerRequestObservationConvention convention =
        customConvention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
    FilterRegistrationBean<ServerHttpObservationFilter> registration =
        new FilterRegistrationBean<>(new LookupTimingFilter(observations, convention, meters));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    return registration;
  }
}
