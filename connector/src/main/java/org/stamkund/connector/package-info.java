/**
 * The Stamkund connector: a typed Engage v2 client with a time budget, retries and a circuit
 * breaker, a durable outbox, secondary integration keys and a local contact replica.
 */
@NullMarked
package org.stamkund.connector;

import org.jspecify.annotations.NullMarked;
