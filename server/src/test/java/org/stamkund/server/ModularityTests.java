package org.stamkund.server;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The server's modules only use each other through their published types. */
class ModularityTests {

  @Test
  void modulesRespectTheirBoundaries() {
    ApplicationModules.of(StamkundServer.class).verify();
  }
}
