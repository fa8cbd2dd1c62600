package org.stamkund.server.platform;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document: the API-key scheme, and the error envelope as the answer of every 4xx and
 * 5xx of every operation.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenApiCustomizer stamkundOpenApi() {
    return openApi -> {
      openApi.info(
          new Info()
              .title("Stamkund")
              .version("v2")
              .description(
                  "Loyalty and customer-club engine. /api/v2 is wire-compatible with Voyado"
                      + " Engage v2; /admin is Stamkund's own. Send the key in the apikey header"
                      + " (x-api-key and Authorization: Bearer work too)."));
      Components components =
          openApi.getComponents() == null ? new Components() : openApi.getComponents();
      openApi.setComponents(components);
      ModelConverters.getInstance().read(ErrorEnvelope.class).forEach(components::addSchemas);
      components.addSecuritySchemes(
          "apikey",
          new SecurityScheme()
              .type(SecurityScheme.Type.APIKEY)
              .in(SecurityScheme.In.HEADER)
              .name("apikey"));
      openApi.addSecurityItem(new SecurityRequirement().addList("apikey"));
      Schema<?> envelope = new Schema<>().$ref("#/components/schemas/ErrorEnvelope");
      ApiResponse error =
          new ApiResponse()
              .description(
                  "Error envelope: errorCode names the problem, messageDetails.field the field")
              .content(
                  new Content().addMediaType("application/json", new MediaType().schema(envelope)));
      if (openApi.getPaths() != null) {
        openApi
            .getPaths()
            .values()
            .forEach(
                path ->
                    path.readOperations()
                        .forEach(
                            operation -> {
                              operation.getResponses().addApiResponse("4XX", error);
                              operation.getResponses().addApiResponse("5XX", error);
                            }));
      }
    };
  }
}
