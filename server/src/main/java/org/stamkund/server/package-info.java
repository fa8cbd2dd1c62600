/** The Stamkund server: Engage-compatible REST, admin API and PostgreSQL persistence. */
@NullMarked
package org.stamkund.server;

import org.jspecify.annotations.NullMarked;
