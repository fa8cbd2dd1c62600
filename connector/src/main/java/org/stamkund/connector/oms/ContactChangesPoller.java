package org.stamkund.connector.oms;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ChangesPage;
import org.stamkund.connector.Contact;
import org.stamkund.connector.StamkundClient;

/**
 * The engine-to-OMS half of a two-way sync (seed 001): polls the cursor changes feed, at most once
 * per interval (never more often than once a minute), and hands back the changed contacts and the
 * deleted ids. The OMS stores {@link Batch#cursor()} with its data and passes it back.
 */
public final class ContactChangesPoller {

  /** The seed's minimum polling interval. */
  public static final Duration MINIMUM_INTERVAL = Duration.ofMinutes(1);

  private final StamkundClient client;
  private final Duration interval;
  private final InstantSource clock;
  private final int pageSize;
  private @Nullable Instant lastPoll;

  /**
   * @param interval pause between polls; at least one minute
   * @param pageSize feed changes read per page (1–10,000)
   */
  public ContactChangesPoller(
      StamkundClient client, Duration interval, InstantSource clock, int pageSize) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
      throw new IllegalArgumentException("interval must be at least one minute: " + interval);
    }
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("pageSize must be 1-10000: " + pageSize);
    }
    this.interval = interval;
    this.pageSize = pageSize;
  }

  /**
   * What changed since a cursor.
   *
   * @param changed contacts created or updated, as they are now (personal data)
   * @param deleted ids of deleted contacts
   * @param cursor where the next poll starts
   */
  public record Batch(List<Contact> changed, List<String> deleted, String cursor) {
    /** Copies. */
    public Batch {
      changed = List.copyOf(changed);
      deleted = List.copyOf(deleted);
    }
  }

  /**
   * Reads every change after {@code cursor} (null: from the start of the feed); empty when the
   * previous poll was less than the interval ago.
   */
  public synchronized Optional<Batch> poll(@Nullable String cursor) {
    Instant now = clock.instant();
    Instant last = lastPoll;
    if (last != null && Duration.between(last, now).compareTo(interval) < 0) {
      return Optional.empty();
    }
    lastPoll = now;
    Map<String, Boolean> deletedById = new LinkedHashMap<>();
    String at = cursor;
    while (true) {
      ChangesPage page = client.changes(at, pageSize);
      for (ChangesPage.Change c : page.changes()) {
        deletedById.remove(c.contactId());
        deletedById.put(c.contactId(), c.isDeleted());
      }
      at = page.next();
      if (!page.hasMore()) {
        break;
      }
    }
    List<Contact> changed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<String, Boolean> e : deletedById.entrySet()) {
      if (e.getValue()) {
        deleted.add(e.getKey());
      } else {
        client.contact(e.getKey()).ifPresentOrElse(changed::add, () -> deleted.add(e.getKey()));
      }
    }
    return Optional.of(new Batch(changed, deleted, at));
  }
}
