package org.stamkund.connector.oms;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OMS connector's settings (seed 001).
 *
 * @param connectorPrefix prefix of this engine instance's external ids ({@code <Prefix>_<id>});
 *     null for a single instance. Must not change once live.
 * @param mapping how customers map to contact types
 * @param ignoreConsents when true, consents and preferences are never sent (the engine is master)
 * @param uniqueIdentifier the key used to find a contact the OMS has no id for
 * @param syncDelete whether deleting a customer deletes the contact
 * @param consentMapping OMS consent name to engine consent id, or to {@code acceptsEmail}, {@code
 *     acceptsSms}, {@code acceptsPostal}; unmapped consents are not sent
 * @param enabledMarkets markets this connector serves; empty for all
 * @param disabledMarkets markets it never serves
 * @param source the {@code source} header of contact writes
 * @param storeProviderName provider name of store external ids, before prefix and market
 */
public record OmsOptions(
    @Nullable String connectorPrefix,
    ContactTypeMapping mapping,
    boolean ignoreConsents,
    UniqueIdentifier uniqueIdentifier,
    boolean syncDelete,
    Map<String, String> consentMapping,
    Set<String> enabledMarkets,
    Set<String> disabledMarkets,
    String source,
    String storeProviderName) {

  /** The provider name under which the contact id is stored on a customer. */
  public static final String CONTACT_PROVIDER = "VoyadoContactId";

  /** Validates and copies. */
  public OmsOptions {
    if (connectorPrefix != null && !connectorPrefix.matches("[A-Za-z0-9-]{1,40}")) {
      throw new IllegalArgumentException(
          "connectorPrefix must be 1-40 letters, digits or '-': " + connectorPrefix);
    }
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(uniqueIdentifier, "uniqueIdentifier");
    consentMapping = Map.copyOf(consentMapping);
    enabledMarkets = Set.copyOf(enabledMarkets);
    disabledMarkets = Set.copyOf(disabledMarkets);
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("source is required");
    }
    if (storeProviderName == null || storeProviderName.isBlank()) {
      throw new IllegalArgumentException("storeProviderName is required");
    }
  }

  /**
   * The defaults: no prefix, {@link ContactTypeMapping#DEFAULT}, consents sent, e-mail as the
   * unique identifier, no delete propagation, no consent mapping, every market, source {@code OMS},
   * provider {@code VoyadoExternalStoreId}.
   */
  public static OmsOptions defaults() {
    return new OmsOptions(
        null,
        ContactTypeMapping.DEFAULT,
        false,
        UniqueIdentifier.EMAIL,
        false,
        Map.of(),
        Set.of(),
        Set.of(),
        "OMS",
        "VoyadoExternalStoreId");
  }

  /** These options with another prefix. */
  public OmsOptions withConnectorPrefix(@Nullable String prefix) {
    return new OmsOptions(
        prefix,
        mapping,
        ignoreConsents,
        uniqueIdentifier,
        syncDelete,
        consentMapping,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with another mapping. */
  public OmsOptions withMapping(ContactTypeMapping m) {
    return new OmsOptions(
        connectorPrefix,
        m,
        ignoreConsents,
        uniqueIdentifier,
        syncDelete,
        consentMapping,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with consents ignored or not. */
  public OmsOptions withIgnoreConsents(boolean ignore) {
    return new OmsOptions(
        connectorPrefix,
        mapping,
        ignore,
        uniqueIdentifier,
        syncDelete,
        consentMapping,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with another unique identifier. */
  public OmsOptions withUniqueIdentifier(UniqueIdentifier u) {
    return new OmsOptions(
        connectorPrefix,
        mapping,
        ignoreConsents,
        u,
        syncDelete,
        consentMapping,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with delete propagation on or off. */
  public OmsOptions withSyncDelete(boolean on) {
    return new OmsOptions(
        connectorPrefix,
        mapping,
        ignoreConsents,
        uniqueIdentifier,
        on,
        consentMapping,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with a consent mapping. */
  public OmsOptions withConsentMapping(Map<String, String> m) {
    return new OmsOptions(
        connectorPrefix,
        mapping,
        ignoreConsents,
        uniqueIdentifier,
        syncDelete,
        m,
        enabledMarkets,
        disabledMarkets,
        source,
        storeProviderName);
  }

  /** These options with enabled and disabled markets. */
  public OmsOptions withMarkets(Set<String> enabled, Set<String> disabled) {
    return new OmsOptions(
        connectorPrefix,
        mapping,
        ignoreConsents,
        uniqueIdentifier,
        syncDelete,
        consentMapping,
        enabled,
        disabled,
        source,
        storeProviderName);
  }

  /** Whether this connector serves {@code market} (null: the customer has none, served). */
  public boolean serves(@Nullable String market) {
    if (market == null) {
      return true;
    }
    if (disabledMarkets.contains(market)) {
      return false;
    }
    return enabledMarkets.isEmpty() || enabledMarkets.contains(market);
  }

  /** The external id value of {@code contactId}: {@code <Prefix>_<contactId>} with a prefix. */
  public String externalIdOf(String contactId) {
    return connectorPrefix == null ? contactId : connectorPrefix + "_" + contactId;
  }

  /** The contact id in {@code externalId}'s value when it belongs to this instance, else null. */
  public @Nullable String contactIdOf(ExternalId externalId) {
    if (!CONTACT_PROVIDER.equals(externalId.providerName())) {
      return null;
    }
    String v = externalId.id();
    if (connectorPrefix == null) {
      return v.contains("_") ? null : v;
    }
    String p = connectorPrefix + "_";
    return v.startsWith(p) ? v.substring(p.length()) : null;
  }
}
