package org.stamkund.connector;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A contact found in the local replica.
 *
 * @param contact the contact as last synced (personal data: never log it)
 * @param age how far behind the engine the replica may be: time since its last complete sync, or
 *     null when the initial download has not finished
 */
public record ReplicaHit(Contact contact, @Nullable Duration age) {}
