package org.stamkund.server.platform;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The controllers' mappings are asked for a request's handler before the functional routes, which
 * Spring asks first. The only functional routes here are GraphQL's, on one path, and for every
 * other request (a receipt, a bulk import) asking them built a view of the request and tested its
 * path, method and media types for nothing: 8% of a receipt request's thread time
 * (docs/performance.md, "Twelfth session"). A GraphQL request now misses the controllers' mappings
 * first, which is little beside running its query.
 */
@Configuration(proxyBeanMethods = false)
class HandlerOrderConfiguration {

  /** Right after {@link RequestMappingHandlerMapping}'s order (0), before the URL mappings'. */
  static final int ROUTES_ORDER = 1;

  @Bean
  static BeanPostProcessor functionalRoutesAfterControllers() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof RouterFunctionMapping routes) {
          routes.setOrder(ROUTES_ORDER);
        }
        return bean;
      }
    };
  }
}
