package org.stamkund.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts the Stamkund server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StamkundServer {

  public static void main(String[] args) {
    // The JDBC driver gives the database session the JVM's time zone, and sends timestamps in
    // arrays as local times without an offset: in a zone with summer time, the hour that repeats
    // each autumn would be read wrongly. UTC has no such hour, and it is what the tests run in.
    // The club's own zone (stamkund.time-zone) decides every local date.
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    SpringApplication.run(StamkundServer.class, args);
  }
}
