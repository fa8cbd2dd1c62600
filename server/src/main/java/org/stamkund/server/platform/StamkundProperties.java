package org.stamkund.server.platform;

import java.nio.file.Path;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-wide settings.
 *
 * @param dataDir where the embedded database and generated secrets live ({@code STAMKUND_DATA_DIR})
 * @param bootstrapApiKey a key with every scope, created or refreshed at start ({@code
 *     STAMKUND_BOOTSTRAP_API_KEY})
 * @param timeZone the zone in which instants are written on the wire
 * @param defaultCallingCode calling code for national mobile numbers (starting with 0)
 * @param maxBodyBytes the largest request body accepted on ordinary endpoints
 * @param maxBulkBodyBytes the largest request body accepted on bulk endpoints
 * @param maxImportBodyBytes the largest product data export {@code POST /admin/articles} accepts
 * @param customKey what {@code customKey} lookups match: {@code memberNumber} or {@code externalId}
 * @param receiptLanes how many receipt batches may commit at once (group commit); 2 measured best
 *     on the 2-core benchmark machine (fewer, larger batches: less work per receipt)
 * @param receiptBatch the most receipts one transaction applies
 * @param lookupConcurrency how many statements of key lookups may run at once; lookups that wait
 *     meanwhile are read together, up to 32 a statement ({@link ReadCombiner}). 2 measured best on
 *     the 2-core benchmark machine, in four rounds against 4 (docs/performance.md, "Sixteenth
 *     session"): fewer, larger batches, less CPU a lookup and a lower tail. A database that waits
 *     for its disk wants more
 */
@ConfigurationProperties("stamkund")
public record StamkundProperties(
    @DefaultValue("./data") Path dataDir,
    @Nullable String bootstrapApiKey,
    @DefaultValue("Europe/Stockholm") ZoneId timeZone,
    @DefaultValue("46") String defaultCallingCode,
    @DefaultValue("2097152") long maxBodyBytes,
    @DefaultValue("33554432") long maxBulkBodyBytes,
    @DefaultValue("1073741824") long maxImportBodyBytes,
    @DefaultValue("memberNumber") String customKey,
    @DefaultValue("2") int receiptLanes,
    @DefaultValue("64") int receiptBatch,
    @DefaultValue("2") int lookupConcurrency) {

  public StamkundProperties {
    if (!defaultCallingCode.matches("^[1-9][0-9]{0,3}$")) {
      throw new IllegalArgumentException(
          "stamkund.default-calling-code must be 1-4 digits, got " + defaultCallingCode);
    }
    if (receiptLanes < 1 || receiptLanes > 64) {
      throw new IllegalArgumentException(
          "stamkund.receipt-lanes must be 1-64, got " + receiptLanes);
    }
    if (receiptBatch < 1 || receiptBatch > 1000) {
      throw new IllegalArgumentException(
          "stamkund.receipt-batch must be 1-1000, got " + receiptBatch);
    }
    if (lookupConcurrency < 1 || lookupConcurrency > 1000) {
      throw new IllegalArgumentException(
          "stamkund.lookup-concurrency must be 1-1000, got " + lookupConcurrency);
    }
    if (!customKey.equals("memberNumber") && !customKey.equals("externalId")) {
      throw new IllegalArgumentException(
          "stamkund.custom-key must be memberNumber or externalId, got " + customKey);
    }
  }
}
