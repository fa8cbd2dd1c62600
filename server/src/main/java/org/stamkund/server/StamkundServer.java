package org.stamkund.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Stamkund server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StamkundServer {

  public static void main(String[] args) {
    SpringApplication.run(StamkundServer.class, args);
  }
}
