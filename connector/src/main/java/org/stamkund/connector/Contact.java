package org.stamkund.connector;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * An Engage contact as the API answers it: {@code {id, attributes, meta, preferences, consents}}.
 *
 * @param id the contact's GUID
 * @param json the whole contact (carries personal data: never log it)
 */
public record Contact(String id, JsonNode json) {

  /** Validates. */
  public Contact {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(json, "json");
  }

  /** Reads a contact from the API's JSON. */
  public static Contact of(JsonNode json) {
    String id = Json.text(json, "id");
    if (id == null) {
      throw new IllegalArgumentException("a contact without an id");
    }
    return new Contact(id, json);
  }

  /** The {@code attributes} object (missing node when absent). */
  public JsonNode attributes() {
    JsonNode a = json.get("attributes");
    return a == null ? MissingNode.getInstance() : a;
  }

  /** One attribute as text, or null. */
  public @Nullable String attribute(String name) {
    return Json.text(attributes(), name);
  }

  /** The contact type ({@code Member}, {@code Contact}, …), from meta or attributes. */
  public @Nullable String contactType() {
    JsonNode meta = json.get("meta");
    String fromMeta = meta == null ? null : Json.text(meta, "contactType");
    return fromMeta != null ? fromMeta : attribute("contactType");
  }

  /** The member number, or null for a non-member. */
  public @Nullable String memberNumber() {
    return attribute("memberNumber");
  }

  /** The e-mail address, or null. */
  public @Nullable String email() {
    return attribute("email");
  }

  /** The mobile phone (E.164), or null. */
  public @Nullable String mobilePhone() {
    return attribute("mobilePhone");
  }

  /** The external id, or null. */
  public @Nullable String externalId() {
    return attribute("externalId");
  }

  /** Whether the contact type is Member (any case). */
  public boolean isMember() {
    return "member".equalsIgnoreCase(contactType());
  }

  @Override
  public String toString() {
    return "Contact[" + id + "]";
  }
}
