package org.stamkund.connector.checkout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.stamkund.connector.ApiRequest;
import org.stamkund.connector.ApiResponse;
import org.stamkund.connector.Contact;
import org.stamkund.connector.ContactKey;
import org.stamkund.connector.LookupResult;
import org.stamkund.connector.Outbox;
import org.stamkund.connector.Shopper;
import org.stamkund.connector.StamkundClient;
import org.stamkund.connector.StamkundConnector;
import org.stamkund.connector.StamkundException;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checkout's membership flow (seed 000): while the shopper pays, {@link #identify} looks them
 * up by personal id, e-mail or phone; the checkout offers "apply for membership" when they are not
 * a member; after {@code PurchaseCompleted}, {@link #purchaseCompleted} enrols them with {@code
 * source} and {@code storeExternalId} and reports which scenario happened. An enrolment that cannot
 * get through is buffered and retried (scenario 2); its later success or final failure reaches the
 * {@link EnrolmentReport} through an {@link EnrolmentListener} on the connector.
 */
public final class CheckoutMembership {

  private final StamkundConnector connector;
  private final String source;
  private final @Nullable String storeExternalId;
  private final Duration enrolmentBudget;
  private final int enrolmentAttempts;
  private final boolean offerWhileUnavailable;

  /**
   * @param source the {@code source} header: the checkout's name ("Walley")
   * @param storeExternalId the store members are registered in, or null
   * @param enrolmentBudget how long the enrolment may take after the purchase (not on the purchase
   *     path: the shopper already paid)
   * @param enrolmentAttempts buffered attempts before an enrolment is reported for a manual fix
   * @param offerWhileUnavailable whether to offer membership when the engine cannot be asked
   */
  public CheckoutMembership(
      StamkundConnector connector,
      String source,
      @Nullable String storeExternalId,
      Duration enrolmentBudget,
      int enrolmentAttempts,
      boolean offerWhileUnavailable) {
    this.connector = Objects.requireNonNull(connector, "connector");
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source is required (the checkout's name)");
    }
    if (enrolmentBudget.isNegative() || enrolmentBudget.isZero()) {
      throw new IllegalArgumentException("enrolmentBudget must be positive: " + enrolmentBudget);
    }
    if (enrolmentAttempts < 1) {
      throw new IllegalArgumentException("enrolmentAttempts must be at least 1");
    }
    this.source = source;
    this.storeExternalId = storeExternalId;
    this.enrolmentBudget = enrolmentBudget;
    this.enrolmentAttempts = enrolmentAttempts;
    this.offerWhileUnavailable = offerWhileUnavailable;
  }

  /**
   * Looks the shopper up as a Member by personal id, e-mail and phone in turn, within the purchase
   * budget each; falls back to the replica when the engine is unavailable.
   */
  public Membership identify(Shopper shopper) {
    boolean unavailable = false;
    for (Probe probe : probes(shopper)) {
      LookupResult r = connector.lookup(probe.key(), probe.value(), "Member");
      switch (r) {
        case LookupResult.FromEngine e -> {
          if (e.contact().isMember()) {
            return new Membership.Member(e.contact().id(), e.contact().memberNumber(), null);
          }
        }
        case LookupResult.FromReplica e -> {
          if (e.contact().isMember()) {
            return new Membership.Member(
                e.contact().id(), e.contact().memberNumber(), e.replicaAge());
          }
        }
        case LookupResult.NotFound() -> {}
        case LookupResult.Unavailable(String reason) -> unavailable = true;
      }
    }
    return unavailable ? new Membership.Unknown(offerWhileUnavailable) : new Membership.NotMember();
  }

  /**
   * After {@code PurchaseCompleted}: enrols the shopper when they chose to apply.
   *
   * @param checkoutId the checkout session, used as the reference in reports
   * @param membership what {@link #identify} answered during the checkout
   * @param applyForMembership whether the shopper chose to apply
   */
  public MembershipOutcome purchaseCompleted(
      String checkoutId,
      Membership membership,
      boolean applyForMembership,
      CheckoutCustomer customer) {
    Objects.requireNonNull(checkoutId, "checkoutId");
    if (membership instanceof Membership.Member m) {
      return new MembershipOutcome(
          MembershipOutcome.Scenario.ALREADY_MEMBER, m.contactId(), m.memberNumber(), false, null);
    }
    if (!applyForMembership) {
      return new MembershipOutcome(MembershipOutcome.Scenario.DECLINED, null, null, false, null);
    }
    ObjectNode body = customer.toMemberJson();
    ApiRequest create = StamkundClient.createContactRequest(body, source, storeExternalId);
    ApiRequest enrol =
        new ApiRequest(
            EnrolmentListener.OPERATION,
            create.method(),
            create.path(),
            create.query(),
            create.headers(),
            create.body());
    try {
      Optional<ApiResponse> answer =
          connector.deliver(
              Outbox.CONTACTS, enrol, checkoutId, true, enrolmentAttempts, enrolmentBudget);
      if (answer.isEmpty()) {
        return new MembershipOutcome(
            MembershipOutcome.Scenario.ENROLMENT_FAILED, null, null, true, null);
      }
      Contact c = Contact.of(answer.get().json());
      return new MembershipOutcome(
          MembershipOutcome.Scenario.ENROLLED, c.id(), c.memberNumber(), false, null);
    } catch (StamkundException e) {
      String holder = EnrolmentListener.existingHolder(e);
      if (holder != null) {
        return existing(holder, body);
      }
      return new MembershipOutcome(
          MembershipOutcome.Scenario.ENROLMENT_FAILED, null, null, false, e.errorCode());
    }
  }

  /** The key is taken: a Member already (enrolled), or a Contact to promote. */
  private MembershipOutcome existing(String contactId, ObjectNode body) {
    StamkundClient client = connector.client().withBudget(enrolmentBudget);
    try {
      Optional<Contact> found = client.contact(contactId);
      if (found.isPresent() && found.get().isMember()) {
        return new MembershipOutcome(
            MembershipOutcome.Scenario.ENROLLED,
            contactId,
            found.get().memberNumber(),
            false,
            null);
      }
      ObjectNode attributes = body.deepCopy();
      attributes.remove("contactType");
      Contact promoted = client.promoteToMember(contactId, attributes, source);
      return new MembershipOutcome(
          MembershipOutcome.Scenario.ENROLLED, promoted.id(), promoted.memberNumber(), false, null);
    } catch (StamkundException e) {
      return new MembershipOutcome(
          MembershipOutcome.Scenario.ENROLMENT_FAILED, contactId, null, false, e.errorCode());
    }
  }

  private record Probe(ContactKey key, String value) {}

  private static List<Probe> probes(Shopper s) {
    List<Probe> probes = new ArrayList<>();
    add(probes, ContactKey.SOCIAL_SECURITY_NUMBER, s.socialSecurityNumber());
    add(probes, ContactKey.EMAIL, s.email());
    add(probes, ContactKey.MOBILE_PHONE, s.mobilePhone());
    return probes;
  }

  private static void add(List<Probe> probes, ContactKey key, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      probes.add(new Probe(key, value.strip()));
    }
  }
}
