package org.stamkund.server.loyalty;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.engine.points.Earning;
import org.stamkund.engine.points.ExpiryPolicy;
import org.stamkund.engine.points.Returns;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.receipts.LineType;
import org.stamkund.engine.receipts.ReceiptLine;
import org.stamkund.engine.vouchers.Conversion;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.contacts.ContactsRegistered;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.CopyRows;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.DomainEvents;
import org.stamkund.server.platform.GroupCommit;
import org.stamkund.server.platform.IdGenerator;
import org.stamkund.server.platform.Prelude;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.promotions.PromotionManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers receipts and applies them at once: in one transaction the receipt, its points, returns,
 * used vouchers, new vouchers and the member's level are committed, before the caller gets 202. The
 * same {@code uniqueReceiptId} again has no effect. A receipt whose key matches no contact is kept
 * and applied when a contact with that key is created.
 */
@Service
class ReceiptManagement {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ReceiptManagement.class);

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transactions;
  private final TransactionTemplate savepoints;
  private final ProgramCatalog programs;
  private final PointsLedger ledger;
  private final VoucherBook vouchers;
  private final PromotionManagement promotions;
  private final LevelBook levels;
  private final ContactKeys keys;
  private final IdGenerator ids;
  private final JsonMapper json;
  private final StamkundProperties properties;
  private final Clock clock;
  private final org.springframework.context.ApplicationEventPublisher events;
  private final GroupCommit<Submitted, Registered> lanes;

  ReceiptManagement(
      JdbcClient jdbc,
      JdbcTemplate template,
      TransactionTemplate transactions,
      ProgramCatalog programs,
      PointsLedger ledger,
      VoucherBook vouchers,
      PromotionManagement promotions,
      LevelBook levels,
      ContactKeys keys,
      IdGenerator ids,
      JsonMapper json,
      StamkundProperties properties,
      Clock clock,
      org.springframework.context.ApplicationEventPublisher events,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.jdbc = jdbc;
    this.template = template;
    this.transactions = transactions;
    this.savepoints =
        new TransactionTemplate(
            java.util.Objects.requireNonNull(transactions.getTransactionManager()));
    this.savepoints.setPropagationBehavior(
        org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
    this.programs = programs;
    this.ledger = ledger;
    this.vouchers = vouchers;
    this.promotions = promotions;
    this.levels = levels;
    this.keys = keys;
    this.ids = ids;
    this.json = json;
    this.properties = properties;
    this.clock = clock;
    this.events = events;
    this.lanes =
        new GroupCommit<>(
            "receipt-lane",
            properties.receiptLanes(),
            properties.receiptBatch(),
            4096,
            transactions,
            this::registerAll,
            new ReceiptLaneMetrics(meters, this::waiting));
  }

  /** Lets the receipts already accepted commit, and refuses new ones (503). */
  @jakarta.annotation.PreDestroy
  void close() {
    lanes.close();
  }

  /** How many receipts wait for a lane, not counting the batches being applied. */
  int waiting() {
    return lanes.waiting();
  }

  /** What became of a posted receipt. */
  enum Outcome {
    APPLIED,
    UNMATCHED,
    DUPLICATE
  }

  /** Receipts dated further ahead than this are refused: a till's clock may be a little fast. */
  static final java.time.Duration MAX_FUTURE = java.time.Duration.ofDays(1);

  /**
   * Registers a receipt and applies it, committed before this returns. Receipts arriving together
   * commit together (see {@link GroupCommit}); a member's receipts apply in arrival order.
   */
  Outcome register(ReceiptPayload receipt, JsonNode raw) {
    String storedKey =
        keys.normalise(receipt.matchKeyType(), receipt.matchKey(), "contact.matchKey");
    if (receipt.createdDate().isAfter(clock.instant().plus(MAX_FUTURE))) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "InvalidDate",
          "createdDate: more than a day in the future",
          java.util.Map.of("field", "createdDate"));
    }
    if (!knownStores.contains(receipt.storeExternalId()) && countable(receipt)) {
      ensureStore(receipt.storeExternalId());
    }
    Registered registered =
        lanes.submit(
            laneKey(receipt.matchKeyType(), storedKey), new Submitted(receipt, raw, storedKey));
    if (registered.refused() != null) {
      throw registered.refused();
    }
    return java.util.Objects.requireNonNull(registered.outcome());
  }

  /**
   * What a lane answers for one receipt: its outcome, or why it was refused before it wrote
   * anything. A refusal is answered, not thrown, so the other receipts of its batch commit.
   */
  private record Registered(@Nullable Outcome outcome, @Nullable ApiException refused) {

    static Registered of(Outcome outcome) {
      return new Registered(outcome, null);
    }

    static Registered refusing(ApiException refused) {
      return new Registered(null, refused);
    }
  }

  private static ApiException amountsTooLarge() {
    return new ApiException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "InvalidValue",
        "items: the receipt's amounts are too large to count",
        java.util.Map.of("field", "items"));
  }

  /** Receipts with the same key share a lane, so they apply in the order they arrived. */
  static int laneKey(String matchKeyType, String storedKey) {
    return (matchKeyType + ":" + storedKey).hashCode();
  }

  /** A receipt waiting for its lane. */
  private record Submitted(ReceiptPayload receipt, JsonNode raw, String storedKey) {}

  /** A receipt the programme can count, on its way through its lane's batch. */
  private record Counted(Submitted submitted, UUID id, BigDecimal rate, Earning.Earned earned) {

    ReceiptPayload receipt() {
      return submitted.receipt();
    }

    ContactKeys.Key key() {
      return new ContactKeys.Key(
          receipt().matchKeyType(), receipt().matchKey(), receipt().contactType());
    }
  }

  /** A counted receipt whose contact was found. */
  private record Matched(Counted counted, UUID contactId) {}

  /**
   * Registers a lane's batch inside its transaction. One statement stores every new receipt, one
   * takes their keys' locks and one finds their members (per kind of key); then the receipts are
   * applied in rounds, a member's first receipt of the batch in the first round, a second one in
   * the next, so each round's receipts belong to different members and apply together.
   */
  private List<Registered> registerAll(List<Submitted> batch) {
    LoyaltyProgram program = programs.current();
    Registered[] results = new Registered[batch.size()];
    List<Integer> positions = new java.util.ArrayList<>();
    List<Counted> counted = new java.util.ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      ReceiptPayload receipt = batch.get(i).receipt();
      BigDecimal rate;
      try {
        rate = rate(program, receipt);
      } catch (ApiException noRate) {
        // A repeat has no effect, whatever changed since (the programme, its currencies).
        results[i] =
            exists(receipt.uniqueReceiptId())
                ? Registered.of(Outcome.DUPLICATE)
                : Registered.refusing(noRate);
        continue;
      }
      try {
        counted.add(
            new Counted(
                batch.get(i), ids.next(), rate, Earning.earn(program, rate, receipt.lines())));
        positions.add(i);
      } catch (ArithmeticException e) {
        results[i] = Registered.refusing(amountsTooLarge());
      }
    }
    Instant received = clock.instant();
    // The same locks a contact being created with these keys takes: either the contact is
    // committed and found below, or it attaches these receipts when it is. In one order, so two
    // transactions taking some of the same wait instead of deadlocking.
    // The locks go in the round trip of the members' lookup, which reads after them.
    String[] lockNames =
        counted.stream()
            .map(c -> lockName(c.receipt().matchKeyType(), c.submitted().storedKey()))
            .distinct()
            .sorted()
            .toArray(String[]::new);
    Prelude locks = Prelude.of(OPENING, (Object) lockNames); // one array parameter
    Map<ContactKeys.Key, UUID> contacts =
        keys.resolveAll(counted.stream().map(Counted::key).toList(), locks);
    Set<UUID> inserted = insertAll(counted, contacts, received);
    Map<UUID, Integer> receiptsOf = new java.util.HashMap<>();
    List<List<Matched>> rounds = new java.util.ArrayList<>();
    for (int k = 0; k < counted.size(); k++) {
      Counted c = counted.get(k);
      int i = positions.get(k);
      UUID contact = contacts.get(c.key());
      if (!inserted.contains(c.id())) {
        results[i] = Registered.of(Outcome.DUPLICATE);
      } else if (contact == null) {
        results[i] = Registered.of(Outcome.UNMATCHED);
      } else {
        int round = receiptsOf.merge(contact, 1, Integer::sum) - 1;
        if (round == rounds.size()) {
          rounds.add(new java.util.ArrayList<>());
        }
        rounds.get(round).add(new Matched(c, contact));
        results[i] = Registered.of(Outcome.APPLIED);
      }
    }
    for (List<Matched> round : rounds) {
      applyRound(round, program, received);
    }
    return java.util.Arrays.asList(results);
  }

  /**
   * Stores the batch's receipts in one statement: a purchase whose member was found as processed,
   * with the totals it will have, so it is written once; a receipt with returns, and one whose
   * member is unknown, as unmatched.
   *
   * @return the ids of those stored: a receipt whose {@code uniqueReceiptId} is known already (or
   *     repeated earlier in the batch) is not
   */
  private Set<UUID> insertAll(
      List<Counted> counted, Map<ContactKeys.Key, UUID> contacts, Instant received) {
    Set<UUID> inserted = new java.util.HashSet<>();
    if (counted.isEmpty()) {
      return inserted;
    }
    // Per receipt, the receipt itself when it is stored processed, else null.
    var processed =
        counted.stream()
            .map(c -> storedProcessed(c) && contacts.containsKey(c.key()) ? c : null)
            .toList();
    jdbc.sql(
            """
            insert into receipts (id, unique_receipt_id, match_key_type, match_key,
                contact_type_id, receipt_number, created_date, store_external_id, currency,
                exchange_rate, total_gross_price, payload, status, received_at, contact_id,
                points, group_amount, earned_points, purchase_amount, processed_at)
            select r.id, r.unique_receipt_id, r.match_key_type, r.match_key, r.contact_type_id,
                   r.receipt_number, r.created_date, r.store_external_id, r.currency,
                   r.exchange_rate, r.total_gross_price, r.payload::json,
                   case when r.contact_id is null then 'Unmatched' else 'Processed' end, ?,
                   r.contact_id, coalesce(r.points, 0), coalesce(r.group_amount, 0),
                   coalesce(r.points, 0), coalesce(r.group_amount, 0),
                   case when r.contact_id is not null then ?::timestamptz end
            from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::timestamptz[], ?::text[], ?::text[], ?::numeric[], ?::numeric[],
                        ?::text[], ?::uuid[], ?::bigint[], ?::numeric[]) with ordinality
                 as r(id, unique_receipt_id, match_key_type, match_key, contact_type_id,
                      receipt_number, created_date, store_external_id, currency,
                      exchange_rate, total_gross_price, payload, contact_id, points,
                      group_amount, n)
            order by r.n
            on conflict (unique_receipt_id) do nothing
            returning id
            """)
        .params(
            Timestamp.from(received),
            Timestamp.from(received),
            counted.stream().map(Counted::id).toArray(UUID[]::new),
            counted.stream().map(c -> c.receipt().uniqueReceiptId()).toArray(String[]::new),
            counted.stream().map(c -> c.receipt().matchKeyType()).toArray(String[]::new),
            counted.stream().map(c -> c.submitted().storedKey()).toArray(String[]::new),
            counted.stream().map(c -> c.receipt().contactType()).toArray(String[]::new),
            counted.stream().map(c -> c.receipt().receiptNumber()).toArray(String[]::new),
            counted.stream()
                .map(c -> Timestamp.from(c.receipt().createdDate()))
                .toArray(Timestamp[]::new),
            counted.stream().map(c -> c.receipt().storeExternalId()).toArray(String[]::new),
            counted.stream().map(c -> c.receipt().currency()).toArray(String[]::new),
            counted.stream().map(Counted::rate).toArray(BigDecimal[]::new),
            counted.stream().map(c -> c.receipt().totalGrossPrice()).toArray(BigDecimal[]::new),
            counted.stream()
                .map(c -> json.writeValueAsString(c.submitted().raw()))
                .toArray(String[]::new),
            processed.stream()
                .map(c -> c == null ? null : contacts.get(c.key()))
                .toArray(UUID[]::new),
            processed.stream().map(c -> c == null ? null : c.earned().total()).toArray(Long[]::new),
            processed.stream()
                .map(c -> c == null ? null : purchaseAmount(c.receipt(), c.earned()))
                .toArray(BigDecimal[]::new))
        .query((rs, n) -> inserted.add(rs.getObject(1, UUID.class)))
        .list();
    return inserted;
  }

  /**
   * Whether a receipt is stored processed from the start: one without returns, whose totals are its
   * purchases' (the rest of it is applied before the batch commits).
   */
  private static boolean storedProcessed(Counted counted) {
    return counted.receipt().lines().stream().noneMatch(l -> l.type() == LineType.RETURN);
  }

  /** What the purchase lines cost, in the group currency. */
  private static BigDecimal purchaseAmount(ReceiptPayload receipt, Earning.Earned earned) {
    BigDecimal amount = BigDecimal.ZERO;
    for (ReceiptLine line : receipt.lines()) {
      if (line.type() == LineType.PURCHASE) {
        amount = amount.add(earned.groupAmounts()[line.index()]);
      }
    }
    return amount;
  }

  /**
   * Applies one round of a batch: receipts of different members. Those that need no more than their
   * lines, earnings, returns and vouchers apply together, a statement for all of them at each step;
   * those that use vouchers or promotions, or whose member has points due to expire, one by one
   * through {@link #apply}.
   */
  private void applyRound(List<Matched> round, LoyaltyProgram program, Instant received) {
    List<UUID> members = round.stream().map(Matched::contactId).toList();
    // A member's activity is the purchase's date, or when the receipt arrived if it is dated later.
    Map<UUID, Instant> activity = new java.util.HashMap<>();
    for (Matched m : round) {
      Instant created = m.counted().receipt().createdDate();
      activity.put(m.contactId(), created.isAfter(received) ? received : created);
    }
    Map<UUID, PointsLedger.Account> accounts = ledger.lockAll(activity);
    // The clock is read after the locks: everything these receipts write is later than what the
    // transactions they waited for wrote.
    Instant now = later(received, clock.instant());
    Map<UUID, PointsLedger.Standing> standings = ledger.standings(members, now);
    List<Together> together = new java.util.ArrayList<>();
    for (Matched m : round) {
      ReceiptPayload receipt = m.counted().receipt();
      PointsLedger.Standing standing =
          java.util.Objects.requireNonNull(standings.get(m.contactId()));
      Instant expiresAt =
          ExpiryPolicy.lotExpiry(program.expiry(), receipt.createdDate(), properties.timeZone());
      if (standing.due() == 0
          && receipt.usedPromotions().isEmpty()
          && receipt.usedBonusChecks().isEmpty()
          && (expiresAt == null || expiresAt.isAfter(now))) {
        together.add(
            new Together(
                m, java.util.Objects.requireNonNull(accounts.get(m.contactId())), standing));
      } else {
        apply(
            m.counted().id(),
            m.contactId(),
            receipt,
            program,
            m.counted().earned(),
            received,
            storedProcessed(m.counted()));
      }
    }
    if (!together.isEmpty()) {
      applyTogether(together, program, now);
    }
  }

  /** A receipt of a round applied with others, with its member's account and standing. */
  private record Together(
      Matched matched, PointsLedger.Account account, PointsLedger.Standing standing) {}

  /**
   * What the last step of applying a receipt writes and announces.
   *
   * @param stored whether the receipt was stored processed already, with these totals
   */
  private record Processed(
      UUID receiptId,
      UUID contactId,
      ReceiptPayload receipt,
      long earned,
      long takenBack,
      BigDecimal groupAmount,
      BigDecimal purchaseAmount,
      long totalBefore,
      boolean stored) {}

  /**
   * Applies receipts of different members together, each step one statement for all of them: their
   * lines, the purchase lines their returns take back, their earnings, the points taken back and
   * those turned into vouchers, then their levels and events.
   */
  private void applyTogether(List<Together> together, LoyaltyProgram program, Instant now) {
    Map<UUID, List<ReceiptLine>> returns = new java.util.HashMap<>();
    for (Together t : together) {
      List<ReceiptLine> returned = returnLines(t.matched().counted().receipt());
      if (!returned.isEmpty()) {
        returns.put(t.matched().contactId(), returned);
      }
    }
    ReturnedLines returned = ReturnedLines.read(jdbc, returns);
    List<Object[]> lineRows = new java.util.ArrayList<>();
    List<PointsLedger.Earning> earnings = new java.util.ArrayList<>();
    List<VoucherBook.NewVoucher> issued = new java.util.ArrayList<>();
    List<PointsLedger.Spending> spendings = new java.util.ArrayList<>();
    List<Processed> processed = new java.util.ArrayList<>();
    Map<UUID, Long> balances = new java.util.HashMap<>();
    // Members whose returns took points back: which of their lots are left, and so what they can
    // convert, is read again once the points are taken.
    List<UUID> takenBack = new java.util.ArrayList<>();
    for (Together t : together) {
      UUID contactId = t.matched().contactId();
      UUID receiptId = t.matched().counted().id();
      ReceiptPayload receipt = t.matched().counted().receipt();
      Earning.Earned earned = t.matched().counted().earned();
      Lines lines = lines(receiptId, contactId, receipt, earned, returned);
      lineRows.addAll(lines.rows());
      long total = t.standing().total();
      long pending = t.standing().pending();
      if (earned.total() > 0) {
        PointsLedger.Earning earning =
            purchaseEarning(contactId, receiptId, receipt, earned, total, program);
        if (earning.validFrom().isAfter(now)) {
          pending += earning.remaining();
        }
        earnings.add(earning);
        total += earned.total();
      }
      long taken = taken(program, lines.takeback(), total);
      if (taken > 0) {
        spendings.add(returnSpending(contactId, receiptId, receipt, taken, lines));
        total -= taken;
        takenBack.add(contactId);
      } else {
        List<VoucherBook.NewVoucher> vouchersOfMember =
            conversion(contactId, program, total - pending);
        if (!vouchersOfMember.isEmpty()) {
          issued.addAll(vouchersOfMember);
          spendings.add(conversionSpending(contactId, program, vouchersOfMember));
          total -= vouchersOfMember.stream().mapToLong(VoucherBook.NewVoucher::points).sum();
        }
      }
      balances.put(contactId, total);
      processed.add(
          new Processed(
              receiptId,
              contactId,
              receipt,
              earned.total(),
              taken,
              lines.groupAmount(),
              lines.purchaseAmount(),
              t.account().total(),
              storedProcessed(t.matched().counted())));
    }
    Set<UUID> returnedFrom = returned.write();
    insertLines(lineRows);
    if (!issued.isEmpty()) {
      issueVouchers(program, issued, now);
    }
    // The vouchers' points may come from the lots these purchases open: each lot is written once,
    // with what the vouchers leave of it.
    ledger.earnAndSpendAll(earnings, spendings, now);
    for (UUID original : returned.fullyReturned(returnedFrom)) {
      vouchers.reactivateUsedOn(original, program.vouchers().maxReactivations(), now);
    }
    if (!takenBack.isEmpty()) {
      balances.putAll(convertAll(takenBack, program, now));
    }
    markProcessed(processed, now);
    // Their activity was recorded with the accounts' locks, and their balances are known.
    announce(processed, balances, program, now);
  }

  /** A receipt's return lines. */
  private static List<ReceiptLine> returnLines(ReceiptPayload receipt) {
    return receipt.lines().stream().filter(l -> l.type() == LineType.RETURN).toList();
  }

  /**
   * A receipt's lines as they are stored, and what they come to.
   *
   * @param takeback the points its returns take back, before any clamp
   * @param returnedFrom the receipts its returns took from, in the order they were first taken from
   */
  private record Lines(
      List<Object[]> rows,
      BigDecimal purchaseAmount,
      BigDecimal groupAmount,
      long takeback,
      Set<UUID> returnedFrom) {}

  /**
   * A receipt's lines: a purchase with its points and amount, a return with what it takes back of
   * the member's earlier purchases (negative), an adjustment with its amount and no points.
   */
  private Lines lines(
      UUID receiptId,
      UUID contactId,
      ReceiptPayload receipt,
      Earning.Earned earned,
      ReturnedLines returned) {
    BigDecimal purchaseAmount = BigDecimal.ZERO;
    BigDecimal groupAmount = BigDecimal.ZERO;
    long takeback = 0;
    Set<UUID> returnedFrom = new LinkedHashSet<>();
    List<Object[]> rows = new java.util.ArrayList<>(receipt.lines().size());
    for (ReceiptLine line : receipt.lines()) {
      long points = 0;
      BigDecimal amount = earned.groupAmounts()[line.index()];
      if (line.type() == LineType.PURCHASE) {
        points = earned.perLine()[line.index()];
        purchaseAmount = purchaseAmount.add(amount);
        groupAmount = groupAmount.add(amount);
      } else if (line.type() == LineType.RETURN) {
        amount = BigDecimal.ZERO;
        for (Returns.Takeback t : returned.take(contactId, line, receipt.createdDate())) {
          returnedFrom.add(t.line().receiptId());
          points -= t.points();
          amount = amount.subtract(t.groupAmount());
        }
        takeback -= points;
        groupAmount = groupAmount.add(amount);
      }
      rows.add(lineRow(receiptId, contactId, receipt, line, amount, points));
    }
    return new Lines(rows, purchaseAmount, groupAmount, takeback, returnedFrom);
  }

  /** The points a return takes back of a member's {@code total}: all, or down to 0 under clamp. */
  private static long taken(LoyaltyProgram program, long takeback, long total) {
    if (takeback <= 0) {
      return 0;
    }
    return program.negativeBalance() == LoyaltyProgram.NegativeBalance.CLAMP
        ? Math.min(takeback, Math.max(0, total))
        : takeback;
  }

  /** The spending of the points a receipt's returns take back, from the lots they earned first. */
  private static PointsLedger.Spending returnSpending(
      UUID contactId, UUID receiptId, ReceiptPayload receipt, long taken, Lines lines) {
    return new PointsLedger.Spending(
        contactId,
        List.of(new PointsLedger.Part(taken, null)),
        "Return",
        reason(receipt),
        receiptId,
        receipt.storeExternalId(),
        false,
        List.copyOf(lines.returnedFrom()));
  }

  /**
   * Turns members' usable points into vouchers from their standings read now: one statement reads
   * them, one issues the vouchers, two draw their points.
   *
   * @return each member's total after
   */
  private Map<UUID, Long> convertAll(List<UUID> members, LoyaltyProgram program, Instant now) {
    Map<UUID, PointsLedger.Standing> standings = ledger.standings(members, now);
    Map<UUID, Long> balances = new java.util.HashMap<>();
    List<VoucherBook.NewVoucher> issued = new java.util.ArrayList<>();
    List<PointsLedger.Spending> conversions = new java.util.ArrayList<>();
    for (UUID contactId : members) {
      PointsLedger.Standing standing = java.util.Objects.requireNonNull(standings.get(contactId));
      List<VoucherBook.NewVoucher> vouchersOfMember =
          conversion(contactId, program, standing.total() - standing.pending());
      long total = standing.total();
      if (!vouchersOfMember.isEmpty()) {
        issued.addAll(vouchersOfMember);
        conversions.add(conversionSpending(contactId, program, vouchersOfMember));
        total -= vouchersOfMember.stream().mapToLong(VoucherBook.NewVoucher::points).sum();
      }
      balances.put(contactId, total);
    }
    if (!issued.isEmpty()) {
      issueVouchers(program, issued, now);
      ledger.spendAll(conversions, now);
    }
    return balances;
  }

  private Object[] lineRow(
      UUID receiptId,
      UUID contactId,
      ReceiptPayload receipt,
      ReceiptLine line,
      BigDecimal amount,
      long points) {
    return new Object[] {
      receiptId,
      contactId,
      line.index(),
      line.type().name(),
      line.sku(),
      line.quantity(),
      line.grossPaidPrice(),
      amount,
      points,
      Timestamp.from(receipt.createdDate())
    };
  }

  /**
   * Lines of any number of receipts, as {@link #lineRow} gives them: one COPY, which costs
   * PostgreSQL less than an insert from arrays (docs/performance.md, "Twelfth session").
   */
  private void insertLines(List<Object[]> lineRows) {
    CopyRows copy =
        new CopyRows(
            "receipt_lines (receipt_id, contact_id, line_index, type, sku, quantity,"
                + " gross_paid_price, group_amount, points, created_date)");
    for (Object[] row : lineRows) {
      for (Object value : row) {
        copy.value(value);
      }
      copy.endRow();
    }
    copy.into(template);
  }

  /** The earning of a purchase's points, pending and expiring as the programme says. */
  private PointsLedger.Earning purchaseEarning(
      UUID contactId,
      UUID receiptId,
      ReceiptPayload receipt,
      Earning.Earned earned,
      long balance,
      LoyaltyProgram program) {
    return new PointsLedger.Earning(
        contactId,
        balance,
        earned.total(),
        "Purchase",
        reason(receipt),
        receiptId,
        receipt.storeExternalId(),
        receipt.createdDate(),
        receipt.createdDate().plus(java.time.Duration.ofDays(program.pendingDays())),
        ExpiryPolicy.lotExpiry(program.expiry(), receipt.createdDate(), properties.timeZone()));
  }

  private static String reason(ReceiptPayload receipt) {
    return "Receipt " + receipt.receiptNumber();
  }

  /**
   * Marks the receipts not stored processed already so, with their member and totals: one
   * statement.
   */
  private void markProcessed(List<Processed> applied, Instant now) {
    List<Processed> processed = applied.stream().filter(p -> !p.stored()).toList();
    if (processed.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            update receipts r
            set (contact_id, status, points, group_amount, earned_points, purchase_amount,
                 processed_at) =
                (select u.contact_id, 'Processed', u.points, u.group_amount, u.earned_points,
                        u.purchase_amount, ?::timestamptz
                 from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::numeric[], ?::bigint[],
                             ?::numeric[])
                      as u(receipt_id, contact_id, points, group_amount, earned_points,
                           purchase_amount)
                 where u.receipt_id = r.id)
            where r.id = any(?::uuid[])
            """)
        .params(
            Timestamp.from(now),
            processed.stream().map(Processed::receiptId).toArray(UUID[]::new),
            processed.stream().map(Processed::contactId).toArray(UUID[]::new),
            processed.stream().map(p -> p.earned() - p.takenBack()).toArray(Long[]::new),
            processed.stream().map(Processed::groupAmount).toArray(BigDecimal[]::new),
            processed.stream().map(Processed::earned).toArray(Long[]::new),
            processed.stream().map(Processed::purchaseAmount).toArray(BigDecimal[]::new),
            processed.stream().map(Processed::receiptId).toArray(UUID[]::new))
        .update();
  }

  /**
   * The last step of applying receipts of different members: those not stored processed are marked
   * so, each member's last activity is set, then the levels and the events.
   */
  private void finish(List<Processed> processed, LoyaltyProgram program, Instant now) {
    markProcessed(processed, now);
    Map<UUID, Long> balances = new java.util.HashMap<>();
    jdbc.sql(
            """
            update point_accounts a
            set last_activity = greatest(coalesce(a.last_activity, u.activity), u.activity)
            from (select * from unnest(?::uuid[], ?::timestamptz[]) as u(contact_id, activity)) u
            where a.contact_id = u.contact_id
              and a.contact_id = any(?::uuid[])
            returning a.contact_id, a.total
            """)
        .params(
            processed.stream().map(Processed::contactId).toArray(UUID[]::new),
            processed.stream()
                .map(
                    p ->
                        Timestamp.from(
                            p.receipt().createdDate().isAfter(now)
                                ? now
                                : p.receipt().createdDate()))
                .toArray(Timestamp[]::new),
            processed.stream().map(Processed::contactId).toArray(UUID[]::new))
        .query(
            (rs, n) -> {
              balances.put(rs.getObject(1, UUID.class), rs.getLong(2));
              return n;
            })
        .list();
    announce(processed, balances, program, now);
  }

  /**
   * The members' levels after their receipts, and the receipts' events.
   *
   * @param balances each member's total after the receipt
   */
  private void announce(
      List<Processed> processed, Map<UUID, Long> balances, LoyaltyProgram program, Instant now) {
    levels.recomputeAll(
        processed.stream().map(Processed::contactId).toList(), program, now, properties.timeZone());
    // Published together: one pass through Spring's listeners for the batch, not two a receipt.
    List<DomainEvent> announced = new java.util.ArrayList<>(2 * processed.size());
    for (Processed p : processed) {
      long balance = java.util.Objects.requireNonNull(balances.get(p.contactId()));
      Map<String, Object> data = new java.util.LinkedHashMap<>();
      data.put("receiptId", p.receiptId().toString());
      data.put("uniqueReceiptId", p.receipt().uniqueReceiptId());
      data.put("receiptNumber", p.receipt().receiptNumber());
      data.put("storeExternalId", p.receipt().storeExternalId());
      data.put("createdDate", p.receipt().createdDate().toString());
      data.put("earnedPoints", p.earned());
      data.put("pointsTakenBack", p.takenBack());
      announced.add(new DomainEvent("receipt.processed", p.contactId(), data));
      if (balance != p.totalBefore()) {
        announced.add(
            new DomainEvent(
                "points.changed",
                p.contactId(),
                Map.of(
                    "balance",
                    balance,
                    "change",
                    balance - p.totalBefore(),
                    "cause",
                    "receipt",
                    "receiptId",
                    p.receiptId().toString())));
      }
    }
    events.publishEvent(new DomainEvents(announced));
  }

  /** Stores this node has seen committed; others are created on first sight. */
  private final java.util.Set<String> knownStores =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Creates the receipt's store on first sight, committed on its own before the receipt joins its
   * lane: a batch holding a new store's row uncommitted would make every other lane's batch with
   * that store wait for it. Only for a receipt the lane will not refuse, so a refused receipt
   * writes nothing, not even its store.
   */
  private void ensureStore(String externalId) {
    if (knownStores.contains(externalId)) {
      return;
    }
    jdbc.sql(
            """
            insert into stores (external_id, name, active) values (?, ?, true)
            on conflict (external_id) do nothing
            """)
        .params(externalId, externalId)
        .update();
    if (knownStores.size() > 100_000) {
      knownStores.clear();
    }
    knownStores.add(externalId);
  }

  /** Whether the programme can count the receipt: a rate for its currency, amounts in range. */
  private boolean countable(ReceiptPayload receipt) {
    LoyaltyProgram program = programs.current();
    try {
      Earning.earn(program, rate(program, receipt), receipt.lines());
      return true;
    } catch (ApiException | ArithmeticException refused) {
      return false;
    }
  }

  /**
   * A lane's first statement: takes the receipts' key locks (the array of lock names) and sets how
   * the rest of the transaction is planned. Every statement of a receipt is a key lookup or a write
   * of a few rows, so one plan fits all values: generic plans spare the planning that array
   * arguments otherwise force on every call (a third of the spending statement's cost). A cached
   * generic plan lives as long as the connection, though, and one made while a table is small (a
   * new installation, the first minute of receipts) scans the whole table on every call once it has
   * grown, until autovacuum next analyses it: without sequential scans the plan uses the index
   * whatever the table's size (docs/performance.md, "Sixteenth session"). It must search the index,
   * too, not read one whole: {@code ReceiptPlansIntegrationTests} holds a lane's statements to both
   * ("Seventeenth session"). Set here rather than on their own, the settings cost no round trip.
   */
  static final String OPENING =
      """
      select set_config('plan_cache_mode', 'force_generic_plan', true),
             set_config('enable_seqscan', 'off', true),
             count(pg_advisory_xact_lock(hashtextextended(k, 7)))
      from unnest(?::text[]) k
      """;

  private boolean exists(String uniqueReceiptId) {
    return jdbc.sql("select exists (select 1 from receipts where unique_receipt_id = ?)")
        .param(uniqueReceiptId)
        .query(Boolean.class)
        .single();
  }

  private static String lockName(String type, String storedKey) {
    return type + ":" + storedKey;
  }

  private void lockKey(String type, String storedKey) {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 7))")
        .param(lockName(type, storedKey))
        .query()
        .singleRow();
  }

  private static BigDecimal rate(LoyaltyProgram program, ReceiptPayload receipt) {
    BigDecimal given = receipt.exchangeRateToGroupCurrency();
    if (given != null) {
      return given;
    }
    return program
        .rate(receipt.currency())
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "UnknownCurrency",
                    "currency: no exchange rate to "
                        + program.groupCurrency()
                        + "; configure one or send exchangeRateToGroupCurrency",
                    java.util.Map.of("field", "currency")));
  }

  /**
   * Unmatched receipts whose key a new contact holds are applied to it, in purchase order. One
   * receipt that cannot be applied stays unmatched; it never fails the contact's creation.
   */
  @EventListener
  void onContactsRegistered(ContactsRegistered event) {
    boolean anyUnmatched =
        jdbc.sql("select exists (select 1 from receipts where contact_id is null)")
            .query(Boolean.class)
            .single();
    if (!anyUnmatched) {
      return;
    }
    for (ContactsRegistered.Registered contact : event.contacts()) {
      List<ContactsRegistered.MatchKey> matchKeys =
          contact.matchKeys().stream()
              .sorted(
                  java.util.Comparator.comparing(ContactsRegistered.MatchKey::type)
                      .thenComparing(ContactsRegistered.MatchKey::value))
              .toList();
      matchKeys.forEach(k -> lockKey(k.type(), k.value()));
      record Waiting(UUID id, String payload, BigDecimal rate) {}
      List<Waiting> waiting =
          jdbc.sql(
                  """
                  select r.id, r.payload::text, r.exchange_rate from receipts r
                  join unnest(?::text[], ?::text[]) as k(type, value)
                    on r.match_key_type = k.type and r.match_key = k.value
                  where r.contact_id is null
                    and (lower(coalesce(r.contact_type_id, 'Member')) = lower(?)
                         or r.match_key_type = 'contactId')
                  order by r.created_date, r.received_at
                  for update of r
                  """)
              .params(
                  matchKeys.stream().map(ContactsRegistered.MatchKey::type).toArray(String[]::new),
                  matchKeys.stream().map(ContactsRegistered.MatchKey::value).toArray(String[]::new),
                  contact.contactTypeId())
              .query(
                  (rs, n) ->
                      new Waiting(
                          rs.getObject(1, UUID.class), rs.getString(2), rs.getBigDecimal(3)))
              .list();
      for (Waiting w : waiting) {
        try {
          savepoints.executeWithoutResult(
              tx -> {
                ReceiptPayload receipt =
                    ReceiptPayload.parse(json.readTree(w.payload()), properties.timeZone());
                apply(
                    w.id(),
                    contact.contactId(),
                    receipt,
                    programs.current(),
                    w.rate(),
                    clock.instant());
              });
        } catch (RuntimeException e) {
          log.warn(
              "receipt {} stays unmatched: it could not be applied ({})",
              w.id(),
              e.getClass().getSimpleName());
        }
      }
    }
  }

  /**
   * Tries once more to find the contact of an unmatched receipt, and applies it when found: covers
   * a contact created while the receipt was being stored, and a contact that got the key by an
   * update.
   *
   * @return true when the receipt was applied
   */
  boolean retryUnmatched(UUID receiptId) {
    record Stored(String type, String key, String payload, BigDecimal rate) {}
    Stored stored =
        jdbc.sql(
                """
                update receipts set retried_at = ? where id = ? and contact_id is null
                returning match_key_type, match_key, payload::text, exchange_rate
                """)
            .params(Timestamp.from(clock.instant()), receiptId)
            .query(
                (rs, n) ->
                    new Stored(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4)))
            .optional()
            .orElse(null);
    if (stored == null) {
      return false;
    }
    lockKey(stored.type(), stored.key());
    ReceiptPayload receipt =
        ReceiptPayload.parse(json.readTree(stored.payload()), properties.timeZone());
    Optional<UUID> contact =
        keys.resolve(receipt.matchKeyType(), receipt.matchKey(), receipt.contactType());
    if (contact.isEmpty()) {
      return false;
    }
    apply(receiptId, contact.get(), receipt, programs.current(), stored.rate(), clock.instant());
    return true;
  }

  private void apply(
      UUID receiptId,
      UUID contactId,
      ReceiptPayload receipt,
      LoyaltyProgram program,
      BigDecimal rate,
      Instant received) {
    Earning.Earned earned;
    try {
      earned = Earning.earn(program, rate, receipt.lines());
    } catch (ArithmeticException e) {
      throw amountsTooLarge();
    }
    apply(receiptId, contactId, receipt, program, earned, received, false);
  }

  /**
   * Applies a receipt whose earning the caller has counted already.
   *
   * @param stored whether the receipt was stored processed already (one without returns)
   */
  private void apply(
      UUID receiptId,
      UUID contactId,
      ReceiptPayload receipt,
      LoyaltyProgram program,
      Earning.Earned earned,
      Instant received,
      boolean stored) {
    PointsLedger.Account account = ledger.lock(contactId);
    // The clock is read after the lock: everything this receipt writes is later than what the
    // transactions it waited for wrote.
    Instant now = later(received, clock.instant());
    PointsLedger.Standing standing = ledger.expireDueAndStand(contactId, now);
    ReturnedLines returned = ReturnedLines.read(jdbc, Map.of(contactId, returnLines(receipt)));
    Lines lines = lines(receiptId, contactId, receipt, earned, returned);
    Set<UUID> returnedFrom = returned.write();
    insertLines(lines.rows());
    long total = standing.total();
    long pending = standing.pending();
    // Whether the standing is still known without reading it again: not after a return drew lots
    // (they may have been pending), nor after earning a lot already past its date (it expires
    // before any conversion).
    boolean standingKnown = true;
    if (earned.total() > 0) {
      PointsLedger.Earning earning =
          purchaseEarning(contactId, receiptId, receipt, earned, total, program);
      if (earning.validFrom().isAfter(now)) {
        pending += earning.remaining();
      }
      standingKnown = earning.expiresAt() == null || earning.expiresAt().isAfter(now);
      ledger.earnAll(List.of(earning), now);
      total += earned.total();
    }
    long taken = taken(program, lines.takeback(), total);
    if (taken > 0) {
      ledger.spendAll(List.of(returnSpending(contactId, receiptId, receipt, taken, lines)), now);
      total -= taken;
      standingKnown = false;
    }
    if (!receipt.usedPromotions().isEmpty()) {
      // A promotion that cannot be redeemed (another's, used already) never fails the receipt.
      promotions.redeemOnReceipt(
          contactId, receipt.usedPromotions(), receiptId, receipt.createdDate());
    }
    for (String checkNumber : receipt.usedBonusChecks()) {
      vouchers.redeemByNumber(contactId, checkNumber, receiptId, receipt.createdDate(), now);
    }
    for (UUID original : returned.fullyReturned(returnedFrom)) {
      vouchers.reactivateUsedOn(original, program.vouchers().maxReactivations(), now);
    }
    if (!standingKnown) {
      convert(contactId, program, now);
    } else {
      convert(contactId, program, now, new PointsLedger.Standing(total, pending, 0));
    }
    finish(
        List.of(
            new Processed(
                receiptId,
                contactId,
                receipt,
                earned.total(),
                taken,
                lines.groupAmount(),
                lines.purchaseAmount(),
                account.total(),
                stored)),
        program,
        now);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * Turns the member's usable points into vouchers, as far as they reach one; under the lock.
   * Points past their date expire first, so they are never converted.
   */
  void convert(UUID contactId, LoyaltyProgram program, Instant now) {
    convert(contactId, program, now, ledger.expireDueAndStand(contactId, now));
  }

  /** As {@link #convert(UUID, LoyaltyProgram, Instant)}, from a standing the caller knows. */
  private void convert(
      UUID contactId, LoyaltyProgram program, Instant now, PointsLedger.Standing standing) {
    List<VoucherBook.NewVoucher> issued =
        conversion(contactId, program, standing.total() - standing.pending());
    if (issued.isEmpty()) {
      return;
    }
    // However many vouchers the points reach: one statement issues them, two draw their points.
    issueVouchers(program, issued, now);
    ledger.spendAll(List.of(conversionSpending(contactId, program, issued)), now);
  }

  /** The vouchers {@code available} points turn into, none when they reach none. */
  private List<VoucherBook.NewVoucher> conversion(
      UUID contactId, LoyaltyProgram program, long available) {
    return Conversion.convert(program.vouchers(), available).stream()
        .map(i -> new VoucherBook.NewVoucher(contactId, ids.next(), i.value(), i.points()))
        .toList();
  }

  /** The spending of the points a member's new vouchers took, one movement each. */
  private static PointsLedger.Spending conversionSpending(
      UUID contactId, LoyaltyProgram program, List<VoucherBook.NewVoucher> issued) {
    return new PointsLedger.Spending(
        contactId,
        issued.stream().map(v -> new PointsLedger.Part(v.points(), v.id())).toList(),
        "BonusCheck",
        "Converted to " + program.vouchers().name(),
        null,
        null,
        true,
        List.of());
  }

  private void issueVouchers(
      LoyaltyProgram program, List<VoucherBook.NewVoucher> issued, Instant now) {
    vouchers.issueAll(
        program.vouchers().name(),
        program.groupCurrency(),
        issued,
        now,
        now.plus(java.time.Duration.ofDays(program.vouchers().validDays())));
  }
}
