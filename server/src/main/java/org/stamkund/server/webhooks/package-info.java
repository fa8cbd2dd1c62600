/**
 * Webhooks: subscriptions, the events outbox written in the transaction of each change, and signed,
 * ordered, at-least-once delivery to subscribers with retries, history and replay.
 */
@NullMarked
@ApplicationModule(displayName = "Webhooks")
package org.stamkund.server.webhooks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
