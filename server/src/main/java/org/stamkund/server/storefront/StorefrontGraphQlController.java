package org.stamkund.server.storefront;

import graphql.GraphQLContext;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import org.stamkund.engine.promotions.RedemptionChannelType;
import org.stamkund.engine.promotions.ValueType;
import org.stamkund.server.loyalty.MemberLoyalty;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import org.stamkund.server.promotions.ContactPromotions;

/** The storefront GraphQL API at {@code /graphql}; see {@code graphql/storefront.graphqls}. */
@Controller
class StorefrontGraphQlController {

  private final StorefrontManagement management;
  private final MemberLoyalty loyalty;
  private final ContactPromotions promotions;
  private final StampCards stampCards;
  private final ZoneId zone;

  StorefrontGraphQlController(
      StorefrontManagement management,
      MemberLoyalty loyalty,
      ContactPromotions promotions,
      StampCards stampCards,
      StamkundProperties properties) {
    this.management = management;
    this.loyalty = loyalty;
    this.promotions = promotions;
    this.stampCards = stampCards;
    this.zone = properties.timeZone();
  }

  /** The loyalty page of one customer; {@code discounts} is resolved on its own. */
  record CustomerLoyalty(
      UUID contactId,
      List<Map<String, @Nullable Object>> bonusChecks,
      List<Map<String, Object>> pointCards,
      Map<String, Object> bonusPoints) {}

  record Result(
      boolean success,
      StorefrontManagement.@Nullable IssuedToken token,
      @Nullable Map<String, @Nullable Object> customer) {}

  @QueryMapping
  StorefrontManagement.Lookup externalCustomerLookup(
      @Argument @Nullable String key, GraphQLContext context) {
    return management.lookup(storefront(context), key);
  }

  @QueryMapping
  @Nullable Map<String, @Nullable Object> personLookup(
      @Argument @Nullable String key, GraphQLContext context) {
    storefront(context);
    return management.personLookup(key);
  }

  @MutationMapping
  Result signup(@Argument @Nullable Map<String, @Nullable Object> input, GraphQLContext context) {
    StorefrontManagement.IssuedToken token =
        management.signup(
            storefront(context), required(input, StorefrontManagement.INVALID_SIGNUP));
    return new Result(true, token, null);
  }

  @MutationMapping
  DataFetcherResult<Result> activateExternalCustomerById(
      @Argument @Nullable Map<String, @Nullable Object> input,
      GraphQLContext context,
      DataFetchingEnvironment env) {
    return activation(
        management.activateById(
            storefront(context), required(input, StorefrontManagement.INVALID_ACTIVATE)),
        env);
  }

  @MutationMapping
  DataFetcherResult<Result> activateExternalCustomerByToken(
      @Argument @Nullable Map<String, @Nullable Object> input,
      GraphQLContext context,
      DataFetchingEnvironment env) {
    return activation(
        management.activateByToken(
            storefront(context), required(input, StorefrontManagement.INVALID_ACTIVATE)),
        env);
  }

  private static DataFetcherResult<Result> activation(
      StorefrontManagement.Activation activation, DataFetchingEnvironment env) {
    return switch (activation) {
      case StorefrontManagement.Activated a ->
          DataFetcherResult.<Result>newResult().data(new Result(true, a.token(), null)).build();
      case StorefrontManagement.NeedsData n ->
          DataFetcherResult.<Result>newResult()
              .data(new Result(false, null, n.customer()))
              .error(
                  StorefrontGraphQlErrors.error(
                      env,
                      StorefrontManagement.INVALID_ACTIVATE,
                      "AdditionalUserDataRequired",
                      Map.of()))
              .build();
    };
  }

  @MutationMapping
  Result setExternalCustomerPassword(
      @Argument @Nullable Map<String, @Nullable Object> input, GraphQLContext context) {
    Map<String, @Nullable Object> in = required(input, "InvalidPasswordToken");
    return new Result(
        true,
        management.setPassword(storefront(context), text(in, "token"), text(in, "password")),
        null);
  }

  @MutationMapping
  Map<String, Object> requestExternalCustomerPassword(
      @Argument @Nullable Map<String, @Nullable Object> input, GraphQLContext context) {
    Map<String, @Nullable Object> in = required(input, "InvalidPasswordInput");
    management.requestPasswordReset(storefront(context), text(in, "key"));
    return Map.of("success", true);
  }

  @MutationMapping
  Result loginExternalCustomer(
      @Argument @Nullable Map<String, @Nullable Object> input, GraphQLContext context) {
    Map<String, @Nullable Object> in = required(input, "LoginFailed");
    return new Result(
        true, management.login(storefront(context), text(in, "key"), text(in, "password")), null);
  }

  @MutationMapping
  Map<String, @Nullable Object> updateExternalCustomer(
      @Argument @Nullable Map<String, @Nullable Object> input, GraphQLContext context) {
    CustomerTokens.Token token = loggedIn(context);
    return management.updateProfile(token, required(input, "InvalidCustomerInput"));
  }

  @QueryMapping("customer")
  Map<String, @Nullable Object> profile(GraphQLContext context) {
    return management.profile(loggedIn(context));
  }

  @QueryMapping
  CustomerLoyalty customerLoyalty(GraphQLContext context) {
    UUID contactId = loggedIn(context).contactId();
    List<Map<String, @Nullable Object>> checks =
        loyalty.availableVouchers(contactId).stream()
            .map(
                v -> {
                  Map<String, @Nullable Object> m = new LinkedHashMap<>();
                  m.put("id", v.id().toString());
                  m.put("checkNumber", v.checkNumber());
                  m.put("name", v.name());
                  m.put("redeemed", v.redeemed());
                  m.put("value", v.value());
                  m.put("currency", v.currency());
                  m.put("expiresOn", WireTime.format(v.expiresOn(), zone));
                  return m;
                })
            .toList();
    long points = loyalty.balance(contactId);
    int clamped = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, points));
    List<Map<String, Object>> cards =
        stampCards.of(contactId).stream()
            .map(
                p ->
                    Map.<String, Object>of(
                        "name", p.card().name(),
                        "numberOfSlots", p.card().slots(),
                        "numberOfSlotsRemaining", p.card().slots() - p.stamps(),
                        "completed", p.completed()))
            .toList();
    return new CustomerLoyalty(contactId, checks, cards, Map.of("points", clamped));
  }

  @SchemaMapping(typeName = "CustomerLoyalty")
  List<Map<String, @Nullable Object>> discounts(
      CustomerLoyalty page, @Argument @Nullable Boolean includeRedeemed) {
    return promotions.list(page.contactId(), Boolean.TRUE.equals(includeRedeemed)).stream()
        .map(
            p -> {
              String code =
                  p.channels().stream()
                      .filter(
                          c ->
                              c.type() == RedemptionChannelType.ECOM
                                  && c.valueType() == ValueType.EXTERNALOFFER)
                      .map(ContactPromotions.Channel::value)
                      .filter(v -> v != null && !v.isBlank())
                      .findFirst()
                      .orElse(null);
              Map<String, @Nullable Object> m = new LinkedHashMap<>();
              m.put("id", p.id().toString());
              m.put("name", p.name());
              m.put("description", p.description() == null ? "" : p.description());
              m.put("isActivatedByDiscountCode", code != null);
              m.put("discountCode", code);
              m.put("redeemed", p.redeemed());
              m.put(
                  "expiresOn", p.expiresOn() == null ? null : WireTime.format(p.expiresOn(), zone));
              return m;
            })
        .toList();
  }

  private StorefrontCatalog.Storefront storefront(GraphQLContext context) {
    String binding = context.get(StorefrontGraphQlInterceptor.BINDING);
    return management.storefront(binding);
  }

  private CustomerTokens.Token loggedIn(GraphQLContext context) {
    String token = context.get(StorefrontGraphQlInterceptor.CUSTOMER_TOKEN);
    return management.customer(storefront(context), token);
  }

  private static Map<String, @Nullable Object> required(
      @Nullable Map<String, @Nullable Object> input, String code) {
    if (input == null) {
      throw new StorefrontException(code, "input: required", Map.of("field", "input"));
    }
    return input;
  }

  private static @Nullable String text(Map<String, @Nullable Object> input, String field) {
    Object value = input.get(field);
    return value == null ? null : value.toString();
  }
}
