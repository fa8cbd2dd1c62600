package org.stamkund.connector.oms;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiRequest;
import org.stamkund.connector.Contact;
import org.stamkund.connector.ContactKey;
import org.stamkund.connector.Json;
import org.stamkund.connector.Outbox;
import org.stamkund.connector.Receipt;
import org.stamkund.connector.ReceiptOutcome;
import org.stamkund.connector.Shopper;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StamkundException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One-way customer sync from an OMS (the OMS is master) following seed 001's operation table, plus
 * the OMS's receipts, vouchers, personal promotions and order statuses.
 *
 * <p>Exporting a customer: a customer with this instance's contact id is read by id ({@code GET
 * /contacts/{id}}); otherwise the contact is looked up by the unique identifier ({@code GET
 * /contacts/{type}/bykey/{email}}, or by phone). Found: its type changes when the membership
 * changed ({@code promoteToMember} / {@code updateContactType}) and it is updated ({@code POST
 * /contacts/{id}}). Not found: it is created ({@code POST /contacts}). Deleting: {@code DELETE
 * /contacts/{id}} only with {@code SyncDelete}.
 */
public final class OmsSync {

  private final StamkundConnector connector;
  private final StamkundClient client;
  private final OmsOptions options;

  /**
   * @param connector the connector (its client's default budget bounds sync calls)
   * @param options the mapping options
   */
  public OmsSync(StamkundConnector connector, OmsOptions options) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.client = connector.client();
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options in use. */
  public OmsOptions options() {
    return options;
  }

  /**
   * Exports a created or changed customer.
   *
   * @throws StamkundException when the engine refuses the customer (422 and the like)
   */
  public CustomerSyncResult exportCustomer(OmsCustomer customer) {
    List<String> ops = new ArrayList<>();
    if (!options.serves(customer.marketId())) {
      return new CustomerSyncResult(CustomerSyncResult.Action.SKIPPED, null, null, ops);
    }
    String type = options.mapping().contactType(customer.clubMember());
    if (type == null) {
      return new CustomerSyncResult(CustomerSyncResult.Action.SKIPPED, null, null, ops);
    }
    Optional<Contact> existing = find(customer, ops);
    ObjectNode attributes = attributes(customer);
    if (existing.isEmpty()) {
      ObjectNode body = attributes.deepCopy();
      body.put("contactType", type);
      ops.add("POST /contacts");
      Contact created = client.createContact(body, options.source(), null);
      return result(CustomerSyncResult.Action.CREATED, created.id(), ops);
    }
    Contact contact = existing.get();
    String current = contact.contactType();
    if (!type.equalsIgnoreCase(current)) {
      if ("Member".equalsIgnoreCase(type)) {
        ops.add("POST /contacts/{id}/promoteToMember");
        client.promoteToMember(contact.id(), attributes.deepCopy(), options.source());
      } else {
        ops.add("POST /contacts/{id}/updateContactType");
        client.updateContactType(contact.id(), type);
      }
    }
    ops.add("POST /contacts/{id}");
    client.updateContact(contact.id(), attributes);
    return result(CustomerSyncResult.Action.UPDATED, contact.id(), ops);
  }

  /** Propagates a deleted customer when {@code SyncDelete} is on. */
  public CustomerSyncResult deleteCustomer(OmsCustomer customer) {
    List<String> ops = new ArrayList<>();
    String contactId = contactIdOf(customer);
    if (!options.syncDelete() || contactId == null || !options.serves(customer.marketId())) {
      return new CustomerSyncResult(CustomerSyncResult.Action.SKIPPED, contactId, null, ops);
    }
    ops.add("DELETE /contacts/{id}");
    Optional<?> answer =
        connector.deliver(
            Outbox.CONTACTS,
            StamkundClient.deleteContactRequest(contactId, options.source()),
            customer.customerId(),
            false,
            0,
            client.budget());
    return new CustomerSyncResult(
        answer.isPresent() ? CustomerSyncResult.Action.DELETED : CustomerSyncResult.Action.BUFFERED,
        contactId,
        null,
        ops);
  }

  private Optional<Contact> find(OmsCustomer customer, List<String> ops) {
    String contactId = contactIdOf(customer);
    if (contactId != null) {
      ops.add("GET /contacts/{id}");
      Optional<Contact> byId = client.contact(contactId);
      if (byId.isPresent()) {
        return byId;
      }
    }
    String key =
        options.uniqueIdentifier() == UniqueIdentifier.EMAIL
            ? customer.email()
            : customer.mobilePhone();
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    if (options.uniqueIdentifier() == UniqueIdentifier.EMAIL) {
      // A customer may exist under either type: look where it should be first.
      String type = Objects.requireNonNull(options.mapping().contactType(customer.clubMember()));
      for (String t : List.of(type, "Member".equals(type) ? "Contact" : "Member")) {
        ops.add("GET /contacts/{contactType}/bykey/{keyValue}");
        Optional<Contact> c = client.contactByKey(t, key.strip());
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    }
    ops.add("GET /contacts/id?mobilePhone=");
    try {
      Optional<String> id = client.contactId(ContactKey.MOBILE_PHONE, key.strip(), null);
      return id.isEmpty() ? Optional.empty() : client.contact(id.get());
    } catch (StamkundException e) {
      if (e.status() == 409) {
        throw new IllegalStateException(
            "customer " + customer.customerId() + ": several contacts hold its phone number", e);
      }
      throw e;
    }
  }

  private @Nullable String contactIdOf(OmsCustomer customer) {
    for (ExternalId e : customer.externalIds()) {
      String id = options.contactIdOf(e);
      if (id != null) {
        return id;
      }
    }
    return null;
  }

  private CustomerSyncResult result(
      CustomerSyncResult.Action action, String contactId, List<String> ops) {
    return new CustomerSyncResult(
        action,
        contactId,
        new ExternalId(OmsOptions.CONTACT_PROVIDER, options.externalIdOf(contactId)),
        ops);
  }

  /** The contact attributes of {@code customer}, with consents unless they are ignored. */
  ObjectNode attributes(OmsCustomer customer) {
    ObjectNode o = Json.object();
    put(o, "firstName", customer.firstName());
    put(o, "lastName", customer.lastName());
    put(o, "email", customer.email());
    put(o, "mobilePhone", customer.mobilePhone());
    if (!options.ignoreConsents()) {
      ObjectNode preferences = Json.object();
      ArrayNode consents = Json.array();
      for (Map.Entry<String, Boolean> c : customer.consents().entrySet()) {
        String target = options.consentMapping().get(c.getKey());
        if (target == null) {
          continue;
        }
        if (target.equals("acceptsEmail")
            || target.equals("acceptsSms")
            || target.equals("acceptsPostal")) {
          preferences.put(target, c.getValue().booleanValue());
        } else {
          consents
              .addObject()
              .put("id", target)
              .put("value", c.getValue().booleanValue())
              .put("source", options.source());
        }
      }
      if (!preferences.isEmpty()) {
        o.set("preferences", preferences);
      }
      if (!consents.isEmpty()) {
        o.set("consents", consents);
      }
    }
    return o;
  }

  private static void put(ObjectNode o, String field, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      o.put(field, value.strip());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // stores

  /**
   * The engine store of an order: the store's external id named {@code
   * [<Prefix>_]<provider>_<Market>}, else {@code [<Prefix>_]<provider>}, else the OMS store id.
   */
  public String storeExternalId(
      String storeId, List<ExternalId> storeExternalIds, @Nullable String market) {
    String base =
        (options.connectorPrefix() == null ? "" : options.connectorPrefix() + "_")
            + options.storeProviderName();
    if (market != null) {
      for (ExternalId e : storeExternalIds) {
        if (e.providerName().equals(base + "_" + market)) {
          return e.id();
        }
      }
    }
    for (ExternalId e : storeExternalIds) {
      if (e.providerName().equals(base)) {
        return e.id();
      }
    }
    return storeId;
  }

  // ---------------------------------------------------------------------------------------------
  // receipts

  /** The receipt of a completed order: excluded lines left out, total of what remains. */
  public Receipt orderReceipt(OmsOrder order) {
    List<Receipt.Item> items = new ArrayList<>();
    for (OmsOrder.Line l : order.lines()) {
      if (l.excluded()) {
        continue;
      }
      items.add(
          new Receipt.Item(
              "PURCHASE",
              l.sku(),
              l.sku(),
              l.name(),
              BigDecimal.valueOf(l.quantity()),
              l.grossPaidPrice(),
              tax(l.grossPaidPrice(), l.taxPercent()),
              l.taxPercent(),
              null));
    }
    BigDecimal total = Receipt.total(items);
    return new Receipt(
        order.orderNumber(),
        order.orderNumber(),
        order.createdDate(),
        storeExternalId(order.storeId(), order.storeExternalIds(), order.marketId()),
        order.currency(),
        total,
        null,
        items,
        payments(order, total),
        order.usedBonusChecks(),
        order.usedPromotionCoupons().stream().map(c -> new Receipt.UsedPromotion(c, c)).toList());
  }

  /**
   * The receipt of a return: the returned lines (excluded ones left out) as RETURN lines with
   * negative quantities, a negative total, and its own unique id.
   *
   * @param returnId the OMS's return id; the receipt's id is {@code <orderNumber>-R-<returnId>}
   */
  public Receipt returnReceipt(
      OmsOrder order, String returnId, List<OmsOrder.Line> returned, java.time.OffsetDateTime at) {
    List<Receipt.Item> items = new ArrayList<>();
    for (OmsOrder.Line l : returned) {
      if (l.excluded()) {
        continue;
      }
      items.add(
          new Receipt.Item(
              "RETURN",
              l.sku(),
              l.sku(),
              l.name(),
              BigDecimal.valueOf(-Math.abs(l.quantity())),
              l.grossPaidPrice().abs(),
              tax(l.grossPaidPrice().abs(), l.taxPercent()),
              l.taxPercent(),
              null));
    }
    BigDecimal total = Receipt.total(items);
    String id = order.orderNumber() + "-R-" + returnId;
    return new Receipt(
        id,
        id,
        at,
        storeExternalId(order.storeId(), order.storeExternalIds(), order.marketId()),
        order.currency(),
        total,
        null,
        items,
        List.of(new Receipt.Payment("refund", total)),
        List.of(),
        List.of());
  }

  /** Sends a receipt for the customer (contact id, else looked up, else secondary key). */
  public ReceiptOutcome exportReceipt(Receipt receipt, Shopper shopper) {
    return connector.submitReceipt(receipt, shopper);
  }

  private static List<Receipt.Payment> payments(OmsOrder order, BigDecimal total) {
    if (order.payments().isEmpty()) {
      return List.of(new Receipt.Payment("other", total));
    }
    return order.payments().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new Receipt.Payment(e.getKey(), e.getValue()))
        .toList();
  }

  private static BigDecimal tax(BigDecimal gross, BigDecimal percent) {
    BigDecimal hundred = BigDecimal.valueOf(100);
    return gross.multiply(percent).divide(hundred.add(percent), 2, RoundingMode.HALF_UP);
  }

  // ---------------------------------------------------------------------------------------------
  // vouchers and promotions

  /** The contact's available reward vouchers (paged envelope, first 100). */
  public JsonNode availableVouchers(String contactId) {
    return client.bonusChecks(contactId, "available", 0, 100);
  }

  /**
   * Redeems a voucher when the payment is captured; buffered when the engine is away (the purchase
   * has happened).
   *
   * @return true when redeemed now, false when buffered
   */
  public boolean redeemVoucherOnCapture(String contactId, String voucherId) {
    return connector
        .deliver(
            Outbox.OTHER,
            StamkundClient.redeemBonusCheckRequest(contactId, voucherId),
            voucherId,
            false,
            0,
            client.budget())
        .isPresent();
  }

  /**
   * Reactivates a voucher when its payment is credited; buffered when the engine is away, behind
   * any redemption of it still waiting in the same queue.
   *
   * @return true when reactivated now, false when buffered
   * @throws StamkundException when the engine refuses (for example 409 {@code
   *     RewardVoucherExpired})
   */
  public boolean reactivateVoucherOnCredit(String voucherId) {
    return connector
        .deliver(
            Outbox.OTHER,
            StamkundClient.reactivateRewardVoucherRequest(voucherId),
            voucherId,
            false,
            0,
            client.budget())
        .isPresent();
  }

  /**
   * The check before capture: whether each promotion instance may be used by the contact now. With
   * StopOnError the OMS stops the capture when {@link PromotionCheck#allUsable()} is false.
   */
  public PromotionCheck checkPromotionsBeforeCapture(String contactId, List<String> instanceIds) {
    List<PromotionCheck.Item> items = new ArrayList<>();
    for (String id : instanceIds) {
      try {
        JsonNode r = client.checkPromotion(id, contactId, "ECOM");
        items.add(
            new PromotionCheck.Item(id, r.path("usable").asBoolean(), Json.text(r, "errorCode")));
      } catch (StamkundException e) {
        items.add(
            new PromotionCheck.Item(
                id, false, e.isRetryable() ? "EngineUnavailable" : e.errorCode()));
      }
    }
    return new PromotionCheck(items);
  }

  /**
   * Redeems promotion instances after capture, on the ECOM channel; those the engine cannot take
   * now are buffered and retried.
   *
   * @return how many were redeemed now (the rest are buffered)
   */
  public int redeemPromotionsAfterCapture(List<String> instanceIds) {
    int now = 0;
    for (String id : instanceIds) {
      try {
        if (connector
            .deliver(
                Outbox.OTHER,
                StamkundClient.redeemPromotionRequest(id, "ECOM"),
                id,
                false,
                0,
                client.budget())
            .isPresent()) {
          now++;
        }
      } catch (StamkundException e) {
        if (!"PromotionAlreadyRedeemed".equals(e.errorCode())) {
          throw e;
        }
        now++;
      }
    }
    return now;
  }

  // ---------------------------------------------------------------------------------------------
  // order status

  /**
   * Sends an order status change as an order ({@code POST /orders}), for transactional messages;
   * buffered when the engine is away.
   *
   * @param contactId the customer's contact id
   * @param orderStatus the tenant's status name (Confirmed, Shipped, …)
   * @param paymentStatus the payment status (Paid, …)
   * @return true when sent now, false when buffered
   */
  public boolean sendOrderStatus(
      OmsOrder order, String contactId, String orderStatus, String paymentStatus) {
    ObjectNode o = Json.object();
    ObjectNode contact = o.putObject("contact");
    contact.put("matchKey", contactId);
    contact.put("matchKeyType", "contactId");
    o.put("orderNumber", order.orderNumber());
    o.put("orderStatus", orderStatus);
    o.put("paymentStatus", paymentStatus);
    o.put("createdDate", order.createdDate().toString());
    o.put("storeId", storeExternalId(order.storeId(), order.storeExternalIds(), order.marketId()));
    o.put("currency", order.currency());
    BigDecimal total = BigDecimal.ZERO;
    ArrayNode items = o.putArray("items");
    for (OmsOrder.Line l : order.lines()) {
      total = total.add(l.grossPaidPrice());
      ObjectNode i = items.addObject();
      i.put("type", "PURCHASE");
      i.put("sku", l.sku());
      i.put("quantity", l.quantity());
      i.put("grossPaidPrice", l.grossPaidPrice());
      i.put("description", l.name());
      i.put("taxPercent", l.taxPercent());
      i.put("taxAmount", tax(l.grossPaidPrice(), l.taxPercent()));
    }
    o.put("totalGrossPrice", total);
    // Orders fire automations and are not deduplicated by content: a replay must not send the
    // e-mail twice, so the key names this order's change.
    ApiRequest request =
        StamkundClient.orderRequest(o)
            .header(
                "Idempotency-Key", order.orderNumber() + "-" + orderStatus + "-" + paymentStatus);
    return connector
        .deliver(Outbox.OTHER, request, order.orderNumber(), false, 0, client.budget())
        .isPresent();
  }
}
