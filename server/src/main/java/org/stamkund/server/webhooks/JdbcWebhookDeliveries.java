package org.stamkund.server.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.server.platform.IdGenerator;

/**
 * The delivery state in PostgreSQL: fan-out of the outbox to subscriptions through a commit-safe
 * cursor, leases on due deliveries, outcomes of attempts, history, replay and pruning.
 */
@Component
class JdbcWebhookDeliveries {

  /**
   * Events are found by time through their ids, which are time-ordered and taken from the same
   * clock just before the event's time; the margin only widens the range read, the event's own time
   * still decides.
   */
  private static final Duration ID_SLACK = Duration.ofMinutes(1);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  JdbcWebhookDeliveries(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Turns the next events of the outbox into deliveries for every subscription that wants them, and
   * moves the cursor past them, in one transaction. Only events of transactions older than every
   * running one are read, so an event that commits late is never skipped. One node fans out at a
   * time; the others skip.
   *
   * @return the events read; 0 when there were none, another node is fanning out, or no
   *     subscription exists (the cursor then passes the events unread)
   */
  int fanOut(int batch, Instant now) {
    Integer read =
        transactions.execute(
            tx -> {
              record Cursor(String tx, long seq) {}
              Optional<Cursor> cursor =
                  jdbc.sql(
                          "select tx::text, seq from webhook_fanout_cursor where id = 1"
                              + " for update skip locked")
                      .query((rs, n) -> new Cursor(rs.getString(1), rs.getLong(2)))
                      .optional();
              if (cursor.isEmpty()) {
                return 0;
              }
              if (passedWithoutSubscribers(cursor.get().tx(), cursor.get().seq())) {
                return 0;
              }
              record Last(String tx, long seq, int events) {}
              Optional<Last> last =
                  jdbc.sql(
                          """
                          with batch as (
                              select tx, seq, id, type, contact_id from webhook_events
                              where (tx, seq) > (?::xid8, ?)
                                and tx < pg_snapshot_xmin(pg_current_snapshot())
                              order by tx, seq limit ?),
                          fanned as (
                              insert into webhook_deliveries (subscription_id, event_id, event_tx,
                                  event_seq, contact_id, queued_at, next_attempt_at)
                              select s.id, b.id, b.tx, b.seq, b.contact_id, ?, ?
                              from batch b join webhook_subscriptions s
                                on cardinality(s.event_types) = 0
                                or b.type = any(s.event_types)
                                or split_part(b.type, '.', 1) || '.*' = any(s.event_types)
                              on conflict do nothing
                              returning 1)
                          select b.tx::text, b.seq, (select count(*) from batch),
                                 (select count(*) from fanned)
                          from batch b order by b.tx desc, b.seq desc limit 1
                          """)
                      .params(
                          cursor.get().tx(),
                          cursor.get().seq(),
                          batch,
                          Timestamp.from(now),
                          Timestamp.from(now))
                      .query((rs, n) -> new Last(rs.getString(1), rs.getLong(2), rs.getInt(3)))
                      .optional();
              if (last.isEmpty()) {
                return 0;
              }
              jdbc.sql("update webhook_fanout_cursor set tx = ?::xid8, seq = ? where id = 1")
                  .params(last.get().tx(), last.get().seq())
                  .update();
              return last.get().events();
            });
    return read == null ? 0 : read;
  }

  /**
   * When no subscription exists, moves the cursor past every event it may pass, as fanning them out
   * would, but with one index probe instead of a read of every event: a club without webhooks still
   * writes its events (replay can send them later) and pays nothing more. One statement, so one
   * snapshot: a subscription it does not see was committed after every event it passes, and is not
   * owed them.
   *
   * @return true when no subscription exists (the cursor has passed what it may); false when the
   *     events must be fanned out
   */
  private boolean passedWithoutSubscribers(String tx, long seq) {
    return jdbc.sql(
            """
            with passed as (
                update webhook_fanout_cursor c set tx = e.tx, seq = e.seq
                from (select tx, seq from webhook_events
                      where (tx, seq) > (?::xid8, ?)
                        and tx < pg_snapshot_xmin(pg_current_snapshot())
                      order by tx desc, seq desc limit 1) e
                where c.id = 1 and not exists (select 1 from webhook_subscriptions)
                returning 1)
            select not exists (select 1 from webhook_subscriptions)
            """)
        .params(tx, seq)
        .query(Boolean.class)
        .single();
  }

  /** A due delivery and the subscription it goes to, by which a node may claim it. */
  record Due(UUID subscriptionId, UUID eventId) {}

  /**
   * Due deliveries no earlier delivery of the same contact to the same subscription is waiting for,
   * at most {@code perSubscription} of each subscription, oldest first. Each subscription is
   * searched on its own, so one with a large backlog cannot crowd out the others.
   */
  List<Due> due(Instant now, int perSubscription, int limit) {
    return jdbc.sql(
            """
            select d.subscription_id, d.event_id
            from webhook_subscriptions s cross join lateral (
                select d.subscription_id, d.event_id, d.next_attempt_at, d.event_tx, d.event_seq
                from webhook_deliveries d
                where d.subscription_id = s.id and d.status = 'pending'
                  and d.next_attempt_at <= ?
                  and (d.leased_until is null or d.leased_until < ?)
                  and (d.contact_id is null or not exists (
                      select 1 from webhook_deliveries p
                      where p.subscription_id = d.subscription_id
                        and p.contact_id = d.contact_id
                        and p.status = 'pending'
                        and (p.event_tx, p.event_seq) < (d.event_tx, d.event_seq)))
                order by d.next_attempt_at
                limit ?) d
            order by d.next_attempt_at, d.event_tx, d.event_seq
            limit ?
            """)
        .params(Timestamp.from(now), Timestamp.from(now), perSubscription, limit)
        .query((rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
        .list();
  }

  /** A delivery this node holds the lease of, with what it needs to send it. */
  record Claimed(
      UUID subscriptionId,
      UUID eventId,
      UUID lease,
      String eventTx,
      long eventSeq,
      int failures,
      Instant queuedAt,
      String url,
      byte[] secretCiphertext,
      String type,
      @Nullable UUID contactId,
      String data,
      Instant occurredAt) {}

  /**
   * Leases the given deliveries if they are still pending and unleased; a delivery another node
   * leased meanwhile is left out.
   */
  List<Claimed> claim(List<Due> due, UUID lease, Instant now, Duration leaseFor) {
    if (due.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            with wanted as (
                select unnest(?::uuid[]) as subscription_id, unnest(?::uuid[]) as event_id),
            claimed as (
                update webhook_deliveries d set leased_until = ?, lease = ?
                from wanted w
                where d.subscription_id = w.subscription_id and d.event_id = w.event_id
                  and d.status = 'pending'
                  and (d.leased_until is null or d.leased_until < ?)
                returning d.subscription_id, d.event_id, d.failures, d.queued_at, d.event_tx,
                          d.event_seq)
            select c.subscription_id, c.event_id, c.failures, c.queued_at, s.url,
                   s.secret_ciphertext, e.type, e.contact_id, e.data::text, e.occurred_at,
                   e.tx::text, e.seq
            from claimed c
            join webhook_subscriptions s on s.id = c.subscription_id
            join webhook_events e on e.tx = c.event_tx and e.seq = c.event_seq
            order by e.tx, e.seq
            """)
        .params(
            due.stream().map(Due::subscriptionId).toArray(UUID[]::new),
            due.stream().map(Due::eventId).toArray(UUID[]::new),
            Timestamp.from(now.plus(leaseFor)),
            lease,
            Timestamp.from(now))
        .query(
            (rs, n) ->
                new Claimed(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, UUID.class),
                    lease,
                    rs.getString(11),
                    rs.getLong(12),
                    rs.getInt(3),
                    rs.getTimestamp(4).toInstant(),
                    rs.getString(5),
                    rs.getBytes(6),
                    rs.getString(7),
                    rs.getObject(8, UUID.class),
                    rs.getString(9),
                    rs.getTimestamp(10).toInstant()))
        .list();
  }

  /** Gives back a lease without an attempt (the node is stopping). */
  void release(Claimed c) {
    jdbc.sql(
            """
            update webhook_deliveries set leased_until = null, lease = null
            where subscription_id = ? and event_id = ? and lease = ?
            """)
        .params(c.subscriptionId(), c.eventId(), c.lease())
        .update();
  }

  /** What one attempt came to. */
  record Attempt(
      Instant at, Duration duration, @Nullable Integer httpStatus, @Nullable String error) {

    boolean delivered() {
      return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }
  }

  /**
   * Records an attempt of a delivery this node still holds the lease of: delivered, retried at
   * {@code nextAttempt}, or failed for good when that is null.
   *
   * @return false when the lease was lost (the attempt took longer than it): nothing is recorded
   */
  boolean record(Claimed c, Attempt a, @Nullable Instant nextAttempt) {
    Boolean recorded =
        transactions.execute(
            tx -> {
              String status =
                  a.delivered() ? "delivered" : nextAttempt == null ? "failed" : "pending";
              Optional<Integer> attempt =
                  jdbc.sql(
                          """
                          update webhook_deliveries set
                              status = ?, attempts = attempts + 1,
                              failures = case when ?::boolean then 0 else failures + 1 end,
                              next_attempt_at = coalesce(?::timestamptz, next_attempt_at),
                              last_status = ?::int, last_error = ?::text,
                              finished_at = case when ?::text = 'pending' then null else ?::timestamptz end,
                              leased_until = null, lease = null
                          where subscription_id = ? and event_id = ? and lease = ?
                          returning attempts
                          """)
                      .params(
                          java.util.Arrays.asList(
                              status,
                              a.delivered(),
                              nextAttempt == null ? null : Timestamp.from(nextAttempt),
                              a.httpStatus(),
                              a.error(),
                              status,
                              Timestamp.from(a.at().plus(a.duration())),
                              c.subscriptionId(),
                              c.eventId(),
                              c.lease()))
                      .query(Integer.class)
                      .optional();
              if (attempt.isEmpty()) {
                return false;
              }
              if (nextAttempt != null && c.contactId() != null) {
                // The contact's later events wait for this one: move them out of the due range
                // until its retry, so the search for due deliveries does not wade through them.
                jdbc.sql(
                        """
                        update webhook_deliveries set next_attempt_at = ?
                        where subscription_id = ? and contact_id = ? and status = 'pending'
                          and (event_tx, event_seq) > (?::xid8, ?) and next_attempt_at < ?
                        """)
                    .params(
                        Timestamp.from(nextAttempt),
                        c.subscriptionId(),
                        c.contactId(),
                        c.eventTx(),
                        c.eventSeq(),
                        Timestamp.from(nextAttempt))
                    .update();
              }
              jdbc.sql(
                      """
                      insert into webhook_attempts (subscription_id, event_id, attempt,
                          attempted_at, duration_ms, http_status, error)
                      values (?, ?, ?, ?, ?, ?::int, ?::text)
                      """)
                  .params(
                      java.util.Arrays.asList(
                          c.subscriptionId(),
                          c.eventId(),
                          attempt.get(),
                          Timestamp.from(a.at()),
                          (int) Math.min(Integer.MAX_VALUE, a.duration().toMillis()),
                          a.httpStatus(),
                          a.error()))
                  .update();
              return true;
            });
    return Boolean.TRUE.equals(recorded);
  }

  /** A delivery as the admin API shows it. */
  record Delivery(
      UUID eventId,
      String type,
      @Nullable UUID contactId,
      Instant occurredAt,
      String status,
      int attempts,
      @Nullable Instant nextAttemptAt,
      @Nullable Integer lastStatus,
      @Nullable String lastError,
      @Nullable Instant finishedAt) {}

  List<Delivery> deliveries(UUID subscription, @Nullable String status, int offset, int count) {
    return jdbc.sql(
            """
            select d.event_id, e.type, d.contact_id, e.occurred_at, d.status, d.attempts,
                   d.next_attempt_at, d.last_status, d.last_error, d.finished_at
            from webhook_deliveries d
            join webhook_events e on e.tx = d.event_tx and e.seq = d.event_seq
            where d.subscription_id = ? and (?::text is null or d.status = ?)
            order by d.event_tx desc, d.event_seq desc
            offset ? limit ?
            """)
        .params(java.util.Arrays.asList(subscription, status, status, offset, count))
        .query(JdbcWebhookDeliveries::delivery)
        .list();
  }

  long count(UUID subscription, @Nullable String status) {
    return jdbc.sql(
            """
            select count(*) from webhook_deliveries
            where subscription_id = ? and (?::text is null or status = ?)
            """)
        .params(java.util.Arrays.asList(subscription, status, status))
        .query(Long.class)
        .single();
  }

  Optional<Delivery> delivery(UUID subscription, UUID event) {
    return jdbc.sql(
            """
            select d.event_id, e.type, d.contact_id, e.occurred_at, d.status, d.attempts,
                   d.next_attempt_at, d.last_status, d.last_error, d.finished_at
            from webhook_deliveries d
            join webhook_events e on e.tx = d.event_tx and e.seq = d.event_seq
            where d.subscription_id = ? and d.event_id = ?
            """)
        .params(subscription, event)
        .query(JdbcWebhookDeliveries::delivery)
        .optional();
  }

  private static Delivery delivery(ResultSet rs, int n) throws SQLException {
    String status = rs.getString(5);
    Object lastStatus = rs.getObject(8);
    return new Delivery(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getObject(3, UUID.class),
        rs.getTimestamp(4).toInstant(),
        status,
        rs.getInt(6),
        status.equals("pending") ? rs.getTimestamp(7).toInstant() : null,
        lastStatus == null ? null : ((Number) lastStatus).intValue(),
        rs.getString(9),
        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant());
  }

  /** One attempt as the admin API shows it. */
  record AttemptView(
      int attempt,
      Instant attemptedAt,
      long durationMs,
      @Nullable Integer httpStatus,
      @Nullable String error) {}

  List<AttemptView> attempts(UUID subscription, UUID event) {
    return jdbc.sql(
            """
            select attempt, attempted_at, duration_ms, http_status, error from webhook_attempts
            where subscription_id = ? and event_id = ? order by attempt
            """)
        .params(subscription, event)
        .query(
            (rs, n) -> {
              Object status = rs.getObject(4);
              return new AttemptView(
                  rs.getInt(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getLong(3),
                  status == null ? null : ((Number) status).intValue(),
                  rs.getString(5));
            })
        .list();
  }

  /** Queues one delivery again, now, with a fresh retry window; false when there is none. */
  boolean replay(UUID subscription, UUID event, Instant now) {
    return jdbc.sql(
                """
                update webhook_deliveries set status = 'pending', failures = 0, queued_at = ?,
                    next_attempt_at = ?, finished_at = null
                where subscription_id = ? and event_id = ?
                """)
            .params(Timestamp.from(now), Timestamp.from(now), subscription, event)
            .update()
        == 1;
  }

  /**
   * Queues again every event of the range [from, to) still in the outbox that the subscription
   * wants: its delivery is re-queued, or created when there was none (an event from before the
   * subscription, or one whose delivery was pruned).
   *
   * @return the deliveries queued
   */
  int replay(UUID subscription, Instant from, Instant to, Instant now) {
    return jdbc.sql(
            """
            insert into webhook_deliveries (subscription_id, event_id, event_tx, event_seq,
                contact_id, queued_at, next_attempt_at)
            select s.id, e.id, e.tx, e.seq, e.contact_id, ?, ?
            from webhook_events e join webhook_subscriptions s
              on s.id = ? and (cardinality(s.event_types) = 0
                               or e.type = any(s.event_types)
                               or split_part(e.type, '.', 1) || '.*' = any(s.event_types))
            where e.id >= ? and e.id < ? and e.occurred_at >= ? and e.occurred_at < ?
              and e.tx < pg_snapshot_xmin(pg_current_snapshot())
            on conflict (subscription_id, event_id) do update set
                status = 'pending', failures = 0, queued_at = excluded.queued_at,
                next_attempt_at = excluded.next_attempt_at, finished_at = null
            """)
        .params(
            Timestamp.from(now),
            Timestamp.from(now),
            subscription,
            IdGenerator.earliestAt(from.minus(ID_SLACK)),
            IdGenerator.earliestAt(to.plus(ID_SLACK)),
            Timestamp.from(from),
            Timestamp.from(to))
        .update();
  }

  /**
   * Deletes deliveries finished before {@code before} (their attempts go with them), then events
   * older than that which the fan-out has passed and no delivery still names.
   *
   * @return deliveries and events deleted
   */
  int prune(Instant before, int limit) {
    int deliveries =
        jdbc.sql(
                """
                delete from webhook_deliveries where ctid = any(array(
                    select ctid from webhook_deliveries
                    where finished_at is not null and finished_at < ? limit ?))
                """)
            .params(Timestamp.from(before), limit)
            .update();
    int events =
        jdbc.sql(
                """
                delete from webhook_events where ctid = any(array(
                    select e.ctid from webhook_events e, webhook_fanout_cursor c
                    where e.id < ? and e.occurred_at < ? and (e.tx, e.seq) <= (c.tx, c.seq)
                      and not exists (select 1 from webhook_deliveries d
                                      where d.event_tx = e.tx and d.event_seq = e.seq)
                    limit ?))
                """)
            .params(IdGenerator.earliestAt(before), Timestamp.from(before), limit)
            .update();
    return deliveries + events;
  }
}
