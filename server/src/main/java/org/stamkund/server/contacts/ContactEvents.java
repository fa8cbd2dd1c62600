package org.stamkund.server.contacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.DomainEvents;

/**
 * The webhook events of contact changes, published in the transaction of the change. Bodies name
 * what changed (ids, field names, preference and consent values), never the personal data itself.
 */
final class ContactEvents {

  private ContactEvents() {}

  static void created(ApplicationEventPublisher events, StoredContact c) {
    events.publishEvent(createdEvent(c));
  }

  /** {@code contact.created} of many contacts, published at once. */
  static void createdAll(ApplicationEventPublisher events, List<StoredContact> contacts) {
    events.publishEvent(
        new DomainEvents(contacts.stream().map(ContactEvents::createdEvent).toList()));
  }

  private static DomainEvent createdEvent(StoredContact c) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("contactId", c.id().toString());
    data.put("contactType", c.contactTypeId());
    data.put("approved", c.approved());
    Long memberNumber = c.memberNumber();
    if (memberNumber != null) {
      data.put("memberNumber", memberNumber);
    }
    return new DomainEvent("contact.created", c.id(), data);
  }

  static void deleted(ApplicationEventPublisher events, java.util.UUID id) {
    events.publishEvent(new DomainEvent("contact.deleted", id, Map.of("contactId", id.toString())));
  }

  /**
   * {@code contact.updated} for every update (as the changes feed records one), and besides it
   * {@code contact.promoted_to_member}, {@code contact.preferences_changed} and {@code
   * contact.consents_changed} when those changed.
   */
  static void updated(
      ApplicationEventPublisher events, StoredContact old, StoredContact updated, boolean member) {
    String id = updated.id().toString();
    Set<String> fields = new LinkedHashSet<>();
    Set<String> names = new LinkedHashSet<>(old.attributes().keySet());
    names.addAll(updated.attributes().keySet());
    for (String name : names) {
      if (!Objects.equals(old.attributes().get(name), updated.attributes().get(name))) {
        fields.add(name);
      }
    }
    if (!old.contactTypeId().equals(updated.contactTypeId())) {
      fields.add("contactType");
    }
    Map<String, Object> preferences = new LinkedHashMap<>();
    StoredContact.Preferences p0 = old.preferences();
    StoredContact.Preferences p1 = updated.preferences();
    if (p0.acceptsEmail() != p1.acceptsEmail()) {
      preferences.put("acceptsEmail", p1.acceptsEmail());
    }
    if (p0.acceptsSms() != p1.acceptsSms()) {
      preferences.put("acceptsSms", p1.acceptsSms());
    }
    if (p0.acceptsPostal() != p1.acceptsPostal()) {
      preferences.put("acceptsPostal", p1.acceptsPostal());
    }
    if (!preferences.isEmpty()) {
      fields.add("preferences");
    }
    Map<String, Boolean> before = new LinkedHashMap<>();
    old.consents().forEach(c -> before.put(c.id(), c.value()));
    List<Map<String, Object>> consents = new ArrayList<>();
    for (StoredContact.Consent c : updated.consents()) {
      if (!Objects.equals(before.get(c.id()), c.value())) {
        consents.add(Map.of("id", c.id(), "value", c.value()));
      }
    }
    if (!consents.isEmpty()) {
      fields.add("consents");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("contactId", id);
    data.put("contactType", updated.contactTypeId());
    data.put("changedFields", List.copyOf(fields));
    events.publishEvent(new DomainEvent("contact.updated", updated.id(), data));
    if (member) {
      Map<String, Object> promoted = new LinkedHashMap<>();
      promoted.put("contactId", id);
      promoted.put("previousContactType", old.contactTypeId());
      promoted.put("contactType", updated.contactTypeId());
      Long memberNumber = updated.memberNumber();
      if (memberNumber != null) {
        promoted.put("memberNumber", memberNumber);
      }
      events.publishEvent(new DomainEvent("contact.promoted_to_member", updated.id(), promoted));
    }
    if (!preferences.isEmpty()) {
      events.publishEvent(
          new DomainEvent(
              "contact.preferences_changed",
              updated.id(),
              Map.of("contactId", id, "preferences", preferences)));
    }
    if (!consents.isEmpty()) {
      events.publishEvent(
          new DomainEvent(
              "contact.consents_changed",
              updated.id(),
              Map.of("contactId", id, "consents", consents)));
    }
  }
}
