/**
 * What every module stands on: the database, the error envelope, JSON handling, personal-data
 * encryption and request limits.
 */
@NullMarked
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package org.stamkund.server.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
