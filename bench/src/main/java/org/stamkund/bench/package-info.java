/**
 * The benchmark: starts a PostgreSQL and a fresh server on it, drives receipts, lookups, bulk
 * import and the changes feed, and measures the same database work done by plain JDBC as the
 * ceiling.
 */
@NullMarked
package org.stamkund.bench;

import org.jspecify.annotations.NullMarked;
