package org.stamkund.server.contacts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.contacts.ContactAttributeRules;
import org.stamkund.engine.contacts.ContactType;
import org.stamkund.engine.contacts.PersonalIdentityNumber;
import org.stamkund.server.platform.ApiException;

/**
 * Writes contacts: create, update, delete, promote to member, change type, preferences. Each call
 * is one transaction that also writes its change record, so the changes feed sees exactly what
 * committed.
 */
@Service
class ContactManagement {

  private final JdbcContacts contacts;
  private final ContactTypeCatalog types;
  private final ConsentCatalog consentCatalog;
  private final ContactAttributeRules rules;
  private final TransactionTemplate transactions;
  private final TransactionTemplate ownTransaction;
  private final org.stamkund.server.platform.IdGenerator ids;
  private final Clock clock;
  private final org.springframework.context.ApplicationEventPublisher events;
  private final ContactLookup lookup;

  ContactManagement(
      JdbcContacts contacts,
      ContactTypeCatalog types,
      ConsentCatalog consentCatalog,
      ContactAttributeRules rules,
      TransactionTemplate transactions,
      org.stamkund.server.platform.IdGenerator ids,
      Clock clock,
      org.springframework.context.ApplicationEventPublisher events,
      ContactLookup lookup) {
    this.events = events;
    this.lookup = lookup;
    this.contacts = contacts;
    this.types = types;
    this.consentCatalog = consentCatalog;
    this.rules = rules;
    this.transactions = transactions;
    // The holder of a key that collided is looked up apart: a caller's enclosing transaction is
    // aborted by the collision and can run nothing more.
    this.ownTransaction =
        new TransactionTemplate(
            java.util.Objects.requireNonNull(transactions.getTransactionManager()));
    this.ownTransaction.setPropagationBehavior(
        org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.ownTransaction.setReadOnly(true);
    this.ids = ids;
    this.clock = clock;
  }

  /** Headers of a create call. */
  record Origin(@Nullable String source, @Nullable String storeExternalId, boolean unapproved) {}

  /** A validated new contact, ready to insert. */
  record NewContact(ContactType type, StoredContact contact, Map<String, String> keys) {}

  /**
   * Validates a create payload without touching the database.
   *
   * @throws InvalidInputException or {@link ApiException} naming what is wrong
   */
  NewContact prepare(ContactPayload payload, @Nullable String typeOverride, Origin origin) {
    String typeName =
        typeOverride != null
            ? typeOverride
            : payload.contactType() != null ? payload.contactType() : ContactType.MEMBER;
    ContactType type = types.require(typeName, "contactType");
    Map<String, @Nullable Object> attributes =
        plain(rules.normalise(type, payload.attributes(), null));
    if (attributes.get("createdInStore") == null && origin.storeExternalId() != null) {
      attributes.put("createdInStore", origin.storeExternalId().strip());
    }
    if (attributes.get("store") == null && attributes.get("createdInStore") != null) {
      attributes.put("store", attributes.get("createdInStore"));
    }
    List<Violation> missing = ContactAttributeRules.missing(type, attributes);
    List<Violation> consentProblems = consentCatalog.unknown(payload.consents());
    if (!missing.isEmpty() || !consentProblems.isEmpty()) {
      List<Violation> all = new ArrayList<>(missing);
      all.addAll(consentProblems);
      throw new InvalidInputException(all);
    }
    Instant now = clock.instant();
    Map<String, Boolean> p = payload.preferences();
    StoredContact contact =
        new StoredContact(
            ids.next(),
            type.id(),
            null,
            !origin.unapproved(),
            attributes,
            new StoredContact.Preferences(
                p.getOrDefault("acceptsEmail", false),
                p.getOrDefault("acceptsSms", false),
                p.getOrDefault("acceptsPostal", false)),
            consents(payload.consents(), now),
            origin.source(),
            now,
            now);
    return new NewContact(type, contact, contacts.keysOf(type, attributes));
  }

  StoredContact create(ContactPayload payload, Origin origin) {
    NewContact prepared = prepare(payload, null, origin);
    try {
      return transactions.execute(tx -> insert(prepared));
    } catch (DuplicateKeyException | org.springframework.dao.PessimisticLockingFailureException e) {
      throw keyConflict(prepared.type(), prepared.keys(), null);
    }
  }

  /**
   * Inserts a prepared contact with its keys, consents and change record; call in a transaction.
   */
  StoredContact insert(NewContact prepared) {
    requireCurrentKeys(prepared.type());
    StoredContact c = prepared.contact();
    Long memberNumber = prepared.type().isMember() ? contacts.nextMemberNumber() : null;
    StoredContact stored =
        new StoredContact(
            c.id(),
            c.contactTypeId(),
            memberNumber,
            c.approved(),
            c.attributes(),
            c.preferences(),
            c.consents(),
            c.source(),
            c.createdAt(),
            c.updatedAt());
    contacts.insert(stored, prepared.type());
    contacts.insertKeys(stored.contactTypeId(), stored.id(), prepared.keys());
    stored.consents().forEach(consent -> contacts.upsertConsent(stored.id(), consent));
    contacts.recordChange(stored.id(), "Created", stored.createdAt());
    ContactEvents.created(events, stored);
    events.publishEvent(
        new ContactsRegistered(
            List.of(
                new ContactsRegistered.Registered(
                    stored.id(),
                    stored.contactTypeId(),
                    ContactKeys.matchKeysOf(contacts, lookup, stored)))));
    return stored;
  }

  /**
   * Applies a partial update: present fields overwrite, null or empty clears, absent fields stay. A
   * {@code contactType} in the payload moves the contact to that type.
   */
  StoredContact update(UUID id, ContactPayload payload) {
    return change(id, payload, payload.contactType(), false);
  }

  /** Moves a contact to Member, applying the attributes a member needs. */
  StoredContact promoteToMember(UUID id, ContactPayload payload) {
    return change(id, payload, ContactType.MEMBER, false);
  }

  /** Moves a contact to another type (not Member: that is {@link #promoteToMember}). */
  StoredContact changeType(UUID id, String contactTypeId) {
    ContactType target = types.require(contactTypeId, "contactTypeId");
    if (target.isMember()) {
      throw ApiException.badField(
          "InvalidContactType", "contactTypeId", "use promoteToMember to make a contact a Member");
    }
    return change(id, new ContactPayload(Map.of(), null, Map.of(), List.of()), target.id(), false);
  }

  /** Sets one preference; this also approves an unapproved contact. */
  StoredContact setPreference(UUID id, String preference, boolean value) {
    return change(
        id, new ContactPayload(Map.of(), null, Map.of(preference, value), List.of()), null, true);
  }

  private StoredContact change(
      UUID id, ContactPayload payload, @Nullable String targetType, boolean approve) {
    List<Violation> consentProblems = consentCatalog.unknown(payload.consents());
    if (!consentProblems.isEmpty()) {
      throw new InvalidInputException(consentProblems);
    }
    Map<String, String>[] keysOut = keyHolder();
    ContactType[] typeOut = new ContactType[1];
    try {
      return transactions.execute(
          tx -> {
            StoredContact old = contacts.findForUpdate(id).orElseThrow(() -> notFound(id));
            ContactType oldType = types.require(old.contactTypeId(), "contactType");
            ContactType type =
                targetType == null ? oldType : types.require(targetType, "contactType");
            typeOut[0] = type;
            requireCurrentKeys(type);
            Map<String, @Nullable Object> changes =
                plain(rules.normalise(type, payload.attributes(), old.countryCode()));
            changes.remove("createdInStore");
            Map<String, @Nullable Object> merged = new LinkedHashMap<>(old.attributes());
            merged.putAll(changes);
            // A new mandatory attribute must not block unsubscribing: enforce the type's rules on a
            // type change, otherwise only for what this change clears.
            boolean typeChanged = !oldType.id().equals(type.id());
            List<Violation> missing =
                ContactAttributeRules.missing(type, merged).stream()
                    .filter(
                        v ->
                            typeChanged
                                || (changes.containsKey(v.field())
                                    && changes.get(v.field()) == null)
                                || (v.errorCode().equals("ContactKeyMissing")
                                    && type.keyAttributes().stream()
                                        .anyMatch(k -> changes.containsKey(k))))
                    .toList();
            if (!missing.isEmpty()) {
              throw new InvalidInputException(missing);
            }
            Map<String, Boolean> p = payload.preferences();
            StoredContact.Preferences prefs =
                new StoredContact.Preferences(
                    p.getOrDefault("acceptsEmail", old.preferences().acceptsEmail()),
                    p.getOrDefault("acceptsSms", old.preferences().acceptsSms()),
                    p.getOrDefault("acceptsPostal", old.preferences().acceptsPostal()));
            Long memberNumber =
                old.memberNumber() == null && type.isMember()
                    ? Long.valueOf(contacts.nextMemberNumber())
                    : old.memberNumber();
            Instant now = clock.instant();
            List<StoredContact.Consent> newConsents = consents(payload.consents(), now);
            StoredContact updated =
                new StoredContact(
                    old.id(),
                    type.id(),
                    memberNumber,
                    old.approved() || approve,
                    merged,
                    prefs,
                    mergeConsents(old.consents(), newConsents),
                    old.source(),
                    old.createdAt(),
                    now);
            Map<String, String> oldKeys = contacts.keysOf(oldType, old.attributes());
            Map<String, String> newKeys = contacts.keysOf(type, merged);
            // Keys kept in columns are taken by the update itself.
            keysOut[0] = newKeys;
            contacts.update(updated, type);
            if (!oldType.id().equals(type.id()) || !oldKeys.equals(newKeys)) {
              contacts.deleteKeys(id);
              contacts.insertKeys(type.id(), id, newKeys);
            }
            newConsents.forEach(consent -> contacts.upsertConsent(id, consent));
            contacts.recordChange(id, "Updated", now);
            ContactEvents.updated(events, old, updated, type.isMember() && !oldType.isMember());
            return updated;
          });
    } catch (DuplicateKeyException | org.springframework.dao.PessimisticLockingFailureException e) {
      throw keyConflict(typeOut[0], keysOut[0], id);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String>[] keyHolder() {
    return (Map<String, String>[]) new Map<?, ?>[] {Map.of()};
  }

  /**
   * Fails a write whose cached contact type no longer has the keys committed in the database (an
   * admin changed them a moment ago); the share lock taken here keeps them from changing until the
   * write commits.
   */
  void requireCurrentKeys(ContactType type) {
    if (!contacts.lockTypeKeys(type.id()).equals(type.keyAttributes())) {
      types.invalidate();
      throw new ApiException(
          HttpStatus.CONFLICT,
          "ContactTypeChanged",
          "contact type " + type.id() + " changed while this request ran; retry",
          Map.of("field", "contactType"));
    }
  }

  void delete(UUID id) {
    transactions.executeWithoutResult(
        tx -> {
          if (!contacts.delete(id)) {
            throw notFound(id);
          }
          contacts.recordChange(id, "Deleted", clock.instant());
          ContactEvents.deleted(events, id);
        });
  }

  static ApiException notFound(UUID id) {
    return new ApiException(
        HttpStatus.NOT_FOUND, "ContactNotFound", "no contact " + id, Map.of("contactId", id));
  }

  /**
   * 409 naming the key attribute that another contact of the type already holds.
   *
   * @param self the contact being updated, whose own keys are no conflict; null for a create
   */
  ApiException keyConflict(
      @Nullable ContactType type, @Nullable Map<String, String> keys, @Nullable UUID self) {
    if (type != null && keys != null) {
      for (Map.Entry<String, String> key : keys.entrySet()) {
        UUID holder =
            ownTransaction.execute(
                tx -> contacts.keyHolder(type.id(), key.getKey(), key.getValue()).orElse(null));
        // A key the contact keeps through an update is its own, not the one that collided.
        if (holder != null && !holder.equals(self)) {
          return new ApiException(
              HttpStatus.CONFLICT,
              "ApprovedContactWithKeyExists",
              "a " + type.id() + " with this " + key.getKey() + " already exists",
              Map.of("field", key.getKey(), "contactId", holder));
        }
      }
    }
    return new ApiException(
        HttpStatus.CONFLICT,
        "ContactWithKeyIsBeingCreated",
        "another request is creating a contact with the same key; retry",
        Map.of());
  }

  private static List<StoredContact.Consent> consents(
      List<ContactPayload.ConsentInput> inputs, Instant now) {
    return inputs.stream()
        .map(
            c ->
                new StoredContact.Consent(
                    c.id(), c.value(), c.date() == null ? now : c.date(), c.source(), c.comment()))
        .toList();
  }

  private static List<StoredContact.Consent> mergeConsents(
      List<StoredContact.Consent> old, List<StoredContact.Consent> changes) {
    Map<String, StoredContact.Consent> byId = new LinkedHashMap<>();
    old.forEach(c -> byId.put(c.id(), c));
    changes.forEach(c -> byId.put(c.id(), c));
    return byId.values().stream()
        .sorted(java.util.Comparator.comparing(StoredContact.Consent::id))
        .toList();
  }

  /** Personal identity numbers as their normalised text; everything else as it is. */
  static Map<String, @Nullable Object> plain(Map<String, @Nullable Object> normalised) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    normalised.forEach(
        (k, v) -> out.put(k, v instanceof PersonalIdentityNumber pin ? pin.value() : v));
    return out;
  }
}
