package org.stamkund.server.storefront;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import org.stamkund.engine.contacts.MobilePhones;
import org.stamkund.engine.contacts.Person;
import org.stamkund.engine.contacts.PersonRegister;
import org.stamkund.engine.contacts.PersonalIdentityNumber;
import org.stamkund.engine.contacts.PersonalIdentityNumbers;
import org.stamkund.server.contacts.ContactDirectory;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.DomainEvent;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import org.stamkund.server.storefront.CustomerTokens.Kind;
import org.stamkund.server.storefront.StorefrontCatalog.Storefront;

/**
 * The storefront's customer flows: lookup, person lookup, sign-up, activation by id or campaign
 * token, password by e-mailed token, login, and what a logged-in customer may read and change.
 *
 * <p>Every write is one transaction: a contact, its account and the "set your password" event
 * commit together or not at all. Password hashing happens before the transaction opens.
 */
@Service
class StorefrontManagement {

  static final String LOOKUP_FAILED = "ExternalCustomerLookupFailed";
  static final String INVALID_ACTIVATE = "InvalidCustomerActivateInput";
  static final String INVALID_SIGNUP = "InvalidSignupInput";
  static final String UNAUTHORIZED = "Unauthorized";

  private final StorefrontCatalog storefronts;
  private final JdbcStorefrontAccounts accounts;
  private final ContactDirectory contacts;
  private final PersonRegister register;
  private final StorefrontCrypto crypto;
  private final CustomerTokens tokens;
  private final Passwords passwords;
  private final StorefrontProperties properties;
  private final StamkundProperties server;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final LoginThrottle throttle;

  StorefrontManagement(
      StorefrontCatalog storefronts,
      JdbcStorefrontAccounts accounts,
      ContactDirectory contacts,
      PersonRegister register,
      StorefrontCrypto crypto,
      CustomerTokens tokens,
      Passwords passwords,
      StorefrontProperties properties,
      StamkundProperties server,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock,
      LoginThrottle throttle) {
    this.storefronts = storefronts;
    this.accounts = accounts;
    this.contacts = contacts;
    this.register = register;
    this.crypto = crypto;
    this.tokens = tokens;
    this.passwords = passwords;
    this.properties = properties;
    this.server = server;
    this.transactions = transactions;
    this.throttle = throttle;
    this.events = events;
    this.clock = clock;
  }

  /** The five outcomes of a lookup. */
  enum Status {
    NON_EXISTING_CUSTOMER,
    PREEXISTING_CUSTOMER,
    ACTIVATION_REQUIRED,
    ADDITIONAL_USER_DATA_REQUIRED,
    COUNTRY_NOT_VALID
  }

  /** A personal value as a shop may see it: masked to show, sealed to send back. */
  record MaskedValue(String masked, String encrypted) {}

  /**
   * A lookup's answer.
   *
   * @param customer {@code externalId} and every field of {@link StorefrontCatalog#FIELDS} as a
   *     {@link MaskedValue} (null when the contact lacks it); only for the two activation statuses
   */
  record Lookup(Status status, @Nullable Map<String, @Nullable Object> customer) {}

  /** A token handed to the shop. */
  record IssuedToken(String value, String kind, String expiresAt) {}

  /** The outcome of an activation. */
  sealed interface Activation {}

  /** Activated, or already active (campaign link): soft logged in. */
  record Activated(IssuedToken token) implements Activation {}

  /** Fields the storefront requires are missing: nothing was written. */
  record NeedsData(Map<String, @Nullable Object> customer) implements Activation {}

  /** The storefront a request acts for: its key's binding, or the default one. */
  Storefront storefront(@Nullable String binding) {
    String id = binding == null ? StorefrontCatalog.DEFAULT : binding;
    return storefronts
        .find(id)
        .orElseThrow(
            () ->
                new StorefrontException(
                    LOOKUP_FAILED,
                    "Storefront '"
                        + id
                        + "' is not configured (NotImplemented); configure it with PUT"
                        + " /admin/storefronts/"
                        + id));
  }

  // ---- lookup ----

  Lookup lookup(Storefront storefront, @Nullable String key) {
    Optional<ContactDirectory.Contact> found = findByKey(storefront, key, LOOKUP_FAILED);
    if (found.isEmpty()) {
      return new Lookup(Status.NON_EXISTING_CUSTOMER, null);
    }
    ContactDirectory.Contact contact = found.get();
    Status status = status(storefront, contact);
    boolean withData =
        status == Status.ACTIVATION_REQUIRED || status == Status.ADDITIONAL_USER_DATA_REQUIRED;
    return new Lookup(status, withData ? masked(contact) : null);
  }

  private Status status(Storefront storefront, ContactDirectory.Contact contact) {
    if (accounts.find(contact.id(), storefront.id()).isPresent()) {
      return Status.PREEXISTING_CUSTOMER;
    }
    if (!storefront.acceptsCountry(contact.text("countryCode"))) {
      return Status.COUNTRY_NOT_VALID;
    }
    if (!missing(storefront, contact.attributes()).isEmpty()) {
      return Status.ADDITIONAL_USER_DATA_REQUIRED;
    }
    return Status.ACTIVATION_REQUIRED;
  }

  private Optional<ContactDirectory.Contact> findByKey(
      Storefront storefront, @Nullable String key, String code) {
    if (key == null || key.isBlank()) {
      throw new StorefrontException(
          code, "key: required: the customer's " + storefront.lookupKey().wireName());
    }
    List<UUID> ids;
    try {
      ids = contacts.membersByKey(storefront.lookupKey().attribute, key, "key");
    } catch (ApiException e) {
      throw new StorefrontException(code, String.valueOf(e.getMessage()), Map.of("field", "key"));
    }
    if (ids.size() > 1) {
      throw new StorefrontException(
          code, "key: more than one customer has this " + storefront.lookupKey().wireName());
    }
    return ids.isEmpty() ? Optional.empty() : contacts.find(ids.getFirst());
  }

  private static List<String> missing(Storefront storefront, Map<String, @Nullable Object> attrs) {
    return storefront.requiredFields().stream()
        .filter(f -> attrs.get(f) == null || attrs.get(f).toString().isBlank())
        .toList();
  }

  private Map<String, @Nullable Object> masked(ContactDirectory.Contact contact) {
    Map<String, @Nullable Object> customer = new LinkedHashMap<>();
    customer.put("externalId", contact.id().toString());
    for (String field : StorefrontCatalog.FIELDS) {
      String value = contact.text(field);
      customer.put(field, value == null ? null : maskedValue(field, value));
    }
    return customer;
  }

  private MaskedValue maskedValue(String field, String value) {
    return new MaskedValue(Masks.mask(field, value), crypto.seal(field, value));
  }

  // ---- person lookup ----

  /** A person of the population register, masked and sealed; null when the register has none. */
  @Nullable Map<String, @Nullable Object> personLookup(@Nullable String key) {
    if (key == null || key.isBlank()) {
      throw new StorefrontException("PersonLookupFailed", "key: required: a personal id or phone");
    }
    LocalDate today = LocalDate.now(clock.withZone(server.timeZone()));
    Optional<PersonalIdentityNumber> pin = PersonalIdentityNumbers.parse(key, null, today);
    Optional<Person> person;
    if (pin.isPresent()) {
      person = register.byPersonalIdentityNumber(pin.get());
    } else {
      String phone =
          MobilePhones.normalise(key, server.defaultCallingCode())
              .orElseThrow(
                  () ->
                      new StorefrontException(
                          "PersonLookupFailed",
                          "key: neither a valid personal identity number nor a phone number",
                          Map.of("field", "key")));
      person = register.byPhoneNumber(phone);
    }
    if (person.isEmpty()) {
      return null;
    }
    Person p = person.get();
    Map<String, @Nullable String> plain = new LinkedHashMap<>();
    plain.put("firstName", p.firstName());
    plain.put("lastName", p.lastName());
    plain.put("email", null);
    plain.put("mobilePhone", p.mobilePhone());
    plain.put("socialSecurityNumber", p.socialSecurityNumber());
    plain.put("careOf", p.careOf());
    plain.put("street", p.street());
    plain.put("zipCode", p.zipCode());
    plain.put("city", p.city());
    plain.put("countryCode", p.country());
    Map<String, @Nullable Object> customer = new LinkedHashMap<>();
    customer.put("externalId", null);
    plain.forEach(
        (field, value) ->
            customer.put(
                field, value == null || value.isBlank() ? null : maskedValue(field, value)));
    return customer;
  }

  // ---- sign-up ----

  /**
   * Creates a Member with a storefront account. With a password the account is ready and the answer
   * is a full login; without one a "set your password" message is queued and the answer is a soft
   * login.
   */
  IssuedToken signup(Storefront storefront, Map<String, @Nullable Object> input) {
    Map<String, @Nullable Object> attributes = fields(input, INVALID_SIGNUP);
    String keyField = storefront.lookupKey().attribute;
    if (attributes.get(keyField) == null) {
      throw invalid(INVALID_SIGNUP, keyField, "required: the storefront looks customers up by it");
    }
    List<String> missing = missing(storefront, attributes);
    if (!missing.isEmpty()) {
      throw invalid(INVALID_SIGNUP, missing.getFirst(), "required by this storefront");
    }
    String country = (String) attributes.get("countryCode");
    if (!storefront.acceptsCountry(country)) {
      throw new StorefrontException(
          "CountryNotValid",
          "countryCode: this storefront accepts " + String.join(", ", storefront.countries()),
          Map.of("field", "countryCode"));
    }
    String hash = passwordHash(input.get("password"));
    if (findByKey(storefront, (String) attributes.get(keyField), INVALID_SIGNUP).isPresent()) {
      throw new StorefrontException(
          "CustomerAlreadyExists",
          keyField + ": a customer with this " + keyField + " exists; look it up and activate it",
          Map.of("field", keyField));
    }
    Instant now = clock.instant();
    try {
      return requireNonNull(
          transactions.execute(
              tx -> {
                ContactDirectory.Contact contact =
                    contacts.registerMember(attributes, "Storefront " + storefront.id());
                accounts.open(contact.id(), storefront.id(), "signup", hash, now);
                if (hash != null) {
                  return issue(Kind.FULL, storefront, contact.id(), 1, properties.loginTtl());
                }
                requestPassword(storefront, contact.id(), 0, "signup");
                return issue(Kind.SOFT, storefront, contact.id(), 0, properties.softLoginTtl());
              }));
    } catch (InvalidInputException e) {
      throw violations(INVALID_SIGNUP, e.violations());
    } catch (ApiException e) {
      throw new StorefrontException(
          e.status().value() == 409 ? "CustomerAlreadyExists" : INVALID_SIGNUP,
          String.valueOf(e.getMessage()));
    }
  }

  private @Nullable String passwordHash(@Nullable Object password) {
    if (password == null) {
      return null;
    }
    String problem = Passwords.problem(password.toString());
    if (problem != null) {
      throw invalid("InvalidPassword", "password", problem);
    }
    return passwords.hash(password.toString());
  }

  /**
   * The contact fields of an input, sealed values opened, blanks dropped.
   *
   * @throws StorefrontException naming a field whose sealed value does not open
   */
  private Map<String, @Nullable Object> fields(Map<String, @Nullable Object> input, String code) {
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    for (String field : StorefrontCatalog.FIELDS) {
      Object raw = input.get(field);
      if (raw == null || raw.toString().isBlank()) {
        continue;
      }
      String value =
          switch (crypto.open(field, raw.toString())) {
            case StorefrontCrypto.Plain p -> p.value().strip();
            case StorefrontCrypto.Unsealed u -> u.value();
            case StorefrontCrypto.Invalid i ->
                throw invalid(code, field, "the encrypted value is not valid for this field");
          };
      attributes.put(field, value);
    }
    return attributes;
  }

  // ---- activation ----

  /** Activates the contact a lookup named by its {@code externalId}. */
  Activation activateById(Storefront storefront, Map<String, @Nullable Object> input) {
    Object raw = input.get("externalId");
    if (raw == null || raw.toString().isBlank()) {
      throw invalid(INVALID_ACTIVATE, "externalId", "required: the externalId of the lookup");
    }
    UUID id;
    try {
      id = UUID.fromString(raw.toString().strip());
    } catch (IllegalArgumentException e) {
      throw invalid(INVALID_ACTIVATE, "externalId", "not a customer's externalId");
    }
    ContactDirectory.Contact contact =
        contacts
            .find(id)
            .orElseThrow(() -> new StorefrontException(INVALID_ACTIVATE, "NonExistingCustomer"));
    if (accounts.find(contact.id(), storefront.id()).isPresent()) {
      throw new StorefrontException(INVALID_ACTIVATE, "PreexistingCustomer");
    }
    return activate(storefront, contact, input, "id");
  }

  /**
   * Activates the contact of a campaign link's token; a contact with an account already is soft
   * logged in.
   */
  Activation activateByToken(Storefront storefront, Map<String, @Nullable Object> input) {
    Object raw = input.get("token");
    if (raw == null || raw.toString().isBlank()) {
      throw invalid(INVALID_ACTIVATE, "token", "required: the token of the campaign link");
    }
    CustomerTokens.Token token =
        switch (tokens.read(raw.toString())) {
          case CustomerTokens.Valid v -> v.token();
          case CustomerTokens.Expired e ->
              throw new StorefrontException(
                  INVALID_ACTIVATE, "TokenExpired", Map.of("field", "token"));
          case CustomerTokens.Invalid i ->
              throw new StorefrontException(
                  INVALID_ACTIVATE, "TokenInvalid", Map.of("field", "token"));
        };
    if (token.kind() != Kind.CAMPAIGN
        || !(token.storefrontId().equals(CustomerTokens.ANY_STOREFRONT)
            || token.storefrontId().equals(storefront.id()))) {
      throw new StorefrontException(INVALID_ACTIVATE, "TokenInvalid", Map.of("field", "token"));
    }
    ContactDirectory.Contact contact =
        contacts
            .find(token.contactId())
            .orElseThrow(() -> new StorefrontException(INVALID_ACTIVATE, "NonExistingCustomer"));
    if (accounts.find(contact.id(), storefront.id()).isPresent()) {
      return new Activated(
          issue(Kind.SOFT, storefront, contact.id(), 0, properties.softLoginTtl()));
    }
    return activate(storefront, contact, input, "token");
  }

  private Activation activate(
      Storefront storefront,
      ContactDirectory.Contact contact,
      Map<String, @Nullable Object> input,
      String via) {
    // Activation only fills what is missing: changing account data needs a full login.
    Map<String, @Nullable Object> given = fields(input, INVALID_ACTIVATE);
    Map<String, @Nullable Object> filled = new LinkedHashMap<>();
    Map<String, @Nullable Object> merged = new LinkedHashMap<>(contact.attributes());
    given.forEach(
        (field, value) -> {
          if (contact.text(field) == null) {
            filled.put(field, value);
            merged.put(field, value);
          }
        });
    Object country = merged.get("countryCode");
    if (!storefront.acceptsCountry(country == null ? null : country.toString())) {
      throw new StorefrontException(INVALID_ACTIVATE, "CountryNotValid");
    }
    if (!missing(storefront, merged).isEmpty()) {
      return new NeedsData(masked(contact));
    }
    try {
      return requireNonNull(
          transactions.execute(
              tx -> {
                if (!filled.isEmpty()) {
                  contacts.update(contact.id(), filled);
                }
                if (!accounts.open(contact.id(), storefront.id(), via, null, clock.instant())) {
                  throw new StorefrontException(INVALID_ACTIVATE, "PreexistingCustomer");
                }
                requestPassword(storefront, contact.id(), 0, "activation");
                return new Activated(
                    issue(Kind.SOFT, storefront, contact.id(), 0, properties.softLoginTtl()));
              }));
    } catch (InvalidInputException e) {
      throw violations(INVALID_ACTIVATE, e.violations());
    } catch (ApiException e) {
      throw new StorefrontException(INVALID_ACTIVATE, String.valueOf(e.getMessage()));
    }
  }

  /** A campaign link's token for a contact, valid in every storefront. */
  IssuedToken campaignToken(UUID contactId, @Nullable Integer validDays) {
    if (contacts.find(contactId).isEmpty()) {
      throw ApiException.notFound("ContactNotFound", "no contact " + contactId);
    }
    if (validDays != null && (validDays < 1 || validDays > 366)) {
      throw ApiException.badField("InvalidValidDays", "validDays", "1-366");
    }
    java.time.Duration ttl =
        validDays == null ? properties.campaignTokenTtl() : java.time.Duration.ofDays(validDays);
    Instant expires = clock.instant().plus(ttl);
    String value =
        tokens.issue(
            new CustomerTokens.Token(
                Kind.CAMPAIGN, CustomerTokens.ANY_STOREFRONT, contactId, expires, 0));
    return new IssuedToken(
        value, Kind.CAMPAIGN.name(), WireTime.format(expires, server.timeZone()));
  }

  // ---- passwords and login ----

  /** Queues the "set your password" message: an event the mailer subscribes to. */
  private void requestPassword(Storefront storefront, UUID contactId, int version, String reason) {
    Instant expires = clock.instant().plus(properties.passwordTokenTtl());
    String token =
        tokens.issue(
            new CustomerTokens.Token(Kind.PASSWORD, storefront.id(), contactId, expires, version));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("contactId", contactId.toString());
    data.put("storefrontId", storefront.id());
    data.put("reason", reason);
    data.put("token", token);
    data.put("expiresOn", WireTime.format(expires, server.timeZone()));
    events.publishEvent(new DomainEvent("storefront.password_requested", contactId, data));
  }

  /**
   * Queues a new "set your password" message when the key names a customer with an account; the
   * answer never tells whether it did.
   */
  void requestPasswordReset(Storefront storefront, @Nullable String key) {
    Optional<ContactDirectory.Contact> contact = findByKey(storefront, key, "InvalidPasswordInput");
    if (contact.isEmpty()) {
      return;
    }
    transactions.executeWithoutResult(
        tx ->
            accounts
                .find(contact.get().id(), storefront.id())
                .ifPresent(
                    a -> requestPassword(storefront, a.contactId(), a.passwordVersion(), "reset")));
  }

  /** Sets the password with the e-mailed token (once) and logs the customer in fully. */
  IssuedToken setPassword(
      Storefront storefront, @Nullable String rawToken, @Nullable String password) {
    CustomerTokens.Token token =
        switch (tokens.read(rawToken)) {
          case CustomerTokens.Valid v -> v.token();
          case CustomerTokens.Expired e ->
              throw new StorefrontException(
                  "InvalidPasswordToken", "token: expired; ask for a new one");
          case CustomerTokens.Invalid i ->
              throw new StorefrontException("InvalidPasswordToken", "token: not a password token");
        };
    if (token.kind() != Kind.PASSWORD || !token.storefrontId().equals(storefront.id())) {
      throw new StorefrontException("InvalidPasswordToken", "token: not a password token");
    }
    if (password == null) {
      throw invalid("InvalidPassword", "password", "required");
    }
    String hash = requireNonNull(passwordHash(password));
    int version =
        accounts
            .setPassword(token.contactId(), storefront.id(), token.version(), hash, clock.instant())
            .orElseThrow(
                () ->
                    new StorefrontException(
                        "InvalidPasswordToken", "token: already used; ask for a new one"));
    return issue(Kind.FULL, storefront, token.contactId(), version, properties.loginTtl());
  }

  /**
   * A full login by the storefront's key and the password; repeated failures for a key lock it for
   * a while ({@link LoginThrottle}).
   */
  IssuedToken login(Storefront storefront, @Nullable String key, @Nullable String password) {
    if (password == null || password.isEmpty()) {
      throw invalid("LoginFailed", "password", "required");
    }
    if (key != null && !key.isBlank()) {
      throttle.check(storefront.id(), key);
    }
    Optional<ContactDirectory.Contact> contact = findByKey(storefront, key, "LoginFailed");
    Optional<JdbcStorefrontAccounts.Account> account =
        contact.flatMap(c -> accounts.find(c.id(), storefront.id()));
    // Always hash, so an unknown customer answers as slowly as a wrong password.
    boolean matches = passwords.matches(password, account.map(a -> a.passwordHash()).orElse(null));
    if (!matches || account.isEmpty()) {
      throttle.failed(storefront.id(), requireNonNull(key));
      throw new StorefrontException("LoginFailed", "the key or the password is wrong");
    }
    throttle.succeeded(storefront.id(), requireNonNull(key));
    JdbcStorefrontAccounts.Account a = account.get();
    return issue(Kind.FULL, storefront, a.contactId(), a.passwordVersion(), properties.loginTtl());
  }

  // ---- the logged-in customer ----

  /** The contact a customer token logs in; soft and full logins both. */
  CustomerTokens.Token customer(Storefront storefront, @Nullable String rawToken) {
    if (rawToken == null || rawToken.isBlank()) {
      throw new StorefrontException(
          UNAUTHORIZED, "log in first: send the customer token as Authorization: Bearer");
    }
    CustomerTokens.Token token =
        switch (tokens.read(rawToken)) {
          case CustomerTokens.Valid v -> v.token();
          case CustomerTokens.Expired e ->
              throw new StorefrontException(UNAUTHORIZED, "the customer token has expired");
          case CustomerTokens.Invalid i ->
              throw new StorefrontException(UNAUTHORIZED, "the customer token is not valid");
        };
    if ((token.kind() != Kind.SOFT && token.kind() != Kind.FULL)
        || !token.storefrontId().equals(storefront.id())) {
      throw new StorefrontException(UNAUTHORIZED, "the customer token is not valid here");
    }
    JdbcStorefrontAccounts.Account account =
        accounts
            .find(token.contactId(), storefront.id())
            .orElseThrow(
                () -> new StorefrontException(UNAUTHORIZED, "the customer has no account"));
    if (token.kind() == Kind.FULL && token.version() != account.passwordVersion()) {
      throw new StorefrontException(
          UNAUTHORIZED, "the password has changed since this login; log in again");
    }
    return token;
  }

  /** The logged-in customer's own data, in plain text. */
  Map<String, @Nullable Object> profile(CustomerTokens.Token token) {
    ContactDirectory.Contact contact =
        contacts
            .find(token.contactId())
            .orElseThrow(() -> new StorefrontException(UNAUTHORIZED, "the customer is gone"));
    Map<String, @Nullable Object> profile = new LinkedHashMap<>();
    profile.put("externalId", contact.id().toString());
    profile.put(
        "memberNumber", contact.memberNumber() == null ? null : contact.memberNumber().toString());
    for (String field : StorefrontCatalog.FIELDS) {
      profile.put(field, contact.text(field));
    }
    profile.put("loginKind", token.kind().name());
    return profile;
  }

  /** Changes the customer's data; a full login only. */
  Map<String, @Nullable Object> updateProfile(
      CustomerTokens.Token token, Map<String, @Nullable Object> input) {
    if (token.kind() != Kind.FULL) {
      throw new StorefrontException(
          "FullLoginRequired", "a soft login cannot change account data; log in with the password");
    }
    Map<String, @Nullable Object> changes = fields(input, "InvalidCustomerInput");
    if (changes.isEmpty()) {
      throw invalid("InvalidCustomerInput", "input", "give at least one field to change");
    }
    try {
      transactions.executeWithoutResult(tx -> contacts.update(token.contactId(), changes));
    } catch (InvalidInputException e) {
      throw violations("InvalidCustomerInput", e.violations());
    } catch (ApiException e) {
      throw new StorefrontException("InvalidCustomerInput", String.valueOf(e.getMessage()));
    }
    return profile(token);
  }

  private IssuedToken issue(
      Kind kind, Storefront storefront, UUID contactId, int version, java.time.Duration ttl) {
    Instant expires = clock.instant().plus(ttl);
    String value =
        tokens.issue(new CustomerTokens.Token(kind, storefront.id(), contactId, expires, version));
    return new IssuedToken(value, kind.name(), WireTime.format(expires, server.timeZone()));
  }

  private static StorefrontException invalid(String code, String field, String message) {
    return new StorefrontException(code, field + ": " + message, Map.of("field", field));
  }

  private static StorefrontException violations(String code, List<Violation> violations) {
    Violation first = violations.getFirst();
    return new StorefrontException(
        code,
        first.field() + ": " + first.message(),
        Map.of(
            "field",
            first.field(),
            "violations",
            violations.stream()
                .map(
                    v ->
                        Map.of(
                            "field", v.field(), "errorCode", v.errorCode(), "message", v.message()))
                .toList()));
  }

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("a transaction returned nothing");
    }
    return value;
  }
}
