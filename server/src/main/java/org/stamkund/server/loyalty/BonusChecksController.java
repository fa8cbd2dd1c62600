package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.engine.program.LoyaltyProgram;
import org.stamkund.engine.vouchers.Conversion;
import org.stamkund.server.platform.ApiException;
import org.stamkund.server.platform.StamkundProperties;
import org.stamkund.server.platform.WireTime;
import tools.jackson.databind.node.StringNode;

/** Reward vouchers, Engage's bonus checks (reference §2.6, §3.3). */
@RestController
@Tag(name = "Bonus checks (reward vouchers)")
class BonusChecksController {

  private final VoucherBook vouchers;
  private final ProgramCatalog programs;
  private final LoyaltyReads reads;
  private final StamkundProperties properties;
  private final Clock clock;

  BonusChecksController(
      VoucherBook vouchers,
      ProgramCatalog programs,
      LoyaltyReads reads,
      StamkundProperties properties,
      Clock clock) {
    this.vouchers = vouchers;
    this.programs = programs;
    this.reads = reads;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping({
    "/api/v2/contacts/{contactId}/bonuschecks",
    "/api/v2/contacts/{contactId}/bonuschecks/available",
    "/api/v2/contacts/{contactId}/bonuschecks/redeemed"
  })
  @Operation(
      summary = "A contact's vouchers: all, available (usable now) or redeemed",
      description = "Paged: offset (default 0), count (default 100, at most 500).")
  Map<String, Object> list(
      @PathVariable String contactId,
      @RequestParam(required = false) @Nullable Integer offset,
      @RequestParam(required = false) @Nullable Integer count,
      jakarta.servlet.http.HttpServletRequest request) {
    String uri = request.getRequestURI();
    VoucherBook.Filter filter =
        uri.endsWith("/available")
            ? VoucherBook.Filter.AVAILABLE
            : uri.endsWith("/redeemed") ? VoucherBook.Filter.REDEEMED : VoucherBook.Filter.ALL;
    return page(contactId, filter, offset, count);
  }

  @PostMapping("/api/v2/contacts/{contactId}/bonuschecks/{bonusCheckId}/redeem")
  @Operation(
      summary = "Mark a voucher used",
      description =
          "404 ContactNotFound or BonusCheckNotFound; 409 BonusCheckAlreadyRedeemed or"
              + " BonusCheckExpired. Racing calls redeem it once.")
  Map<String, @Nullable Object> redeem(
      @PathVariable String contactId, @PathVariable String bonusCheckId) {
    UUID contact = reads.requireContact(contactId);
    UUID id = parseVoucherId(bonusCheckId, "bonusCheckId", "BonusCheckNotFound");
    Instant now = clock.instant();
    VoucherBook.Voucher redeemed =
        vouchers
            .redeem(contact, id, null, now)
            .orElseThrow(
                () -> {
                  VoucherBook.Voucher v =
                      vouchers
                          .find(id)
                          .filter(found -> found.contactId().equals(contact))
                          .orElseThrow(
                              () ->
                                  ApiException.notFound(
                                      "BonusCheckNotFound", "no such bonus check"));
                  return v.redeemedAt() != null
                      ? ApiException.conflict(
                          "BonusCheckAlreadyRedeemed", "the bonus check is already used")
                      : ApiException.conflict("BonusCheckExpired", "the bonus check has expired");
                });
    return view(redeemed, programs.current(), now);
  }

  @PostMapping("/api/v2/promotions/reward-vouchers/{id}/reactivate")
  @Operation(
      summary = "Undo a voucher's redemption",
      description =
          "Answers the voucher id as a bare JSON string. 400 InvalidRewardVoucherId; 404"
              + " RewardVoucherNotFound; 409 RewardVoucherAlreadyActivated, RewardVoucherExpired"
              + " or RewardVoucherReactivationLimitReached.")
  StringNode reactivate(@PathVariable String id) {
    UUID voucherId = parseVoucherId(id, "id", "InvalidRewardVoucherId");
    LoyaltyProgram program = programs.current();
    Instant now = clock.instant();
    VoucherBook.Voucher v =
        vouchers
            .reactivate(voucherId, program.vouchers().maxReactivations(), now)
            .orElseThrow(
                () -> {
                  VoucherBook.Voucher found =
                      vouchers
                          .find(voucherId)
                          .orElseThrow(
                              () ->
                                  ApiException.notFound(
                                      "RewardVoucherNotFound", "no such reward voucher"));
                  if (!found.expiresOn().isAfter(now)) {
                    return ApiException.conflict(
                        "RewardVoucherExpired", "the reward voucher has expired");
                  }
                  if (found.redeemedAt() == null) {
                    return ApiException.conflict(
                        "RewardVoucherAlreadyActivated", "the reward voucher is not redeemed");
                  }
                  return ApiException.conflict(
                      "RewardVoucherReactivationLimitReached",
                      "reactivated " + found.reactivations() + " times already");
                });
    return StringNode.valueOf(v.id().toString());
  }

  private static UUID parseVoucherId(String raw, String field, String code) {
    try {
      return UUID.fromString(raw.strip());
    } catch (IllegalArgumentException e) {
      if (code.startsWith("Invalid")) {
        throw ApiException.badField(code, field, "not a reward voucher id");
      }
      throw ApiException.notFound(code, "no such bonus check");
    }
  }

  private Map<String, Object> page(
      String contactId,
      VoucherBook.Filter filter,
      @Nullable Integer offset,
      @Nullable Integer count) {
    UUID contact = reads.requireContact(contactId);
    int o = LoyaltyReads.offset(offset);
    int c = LoyaltyReads.count(count);
    Instant now = clock.instant();
    LoyaltyProgram program = programs.current();
    List<Map<String, @Nullable Object>> items =
        vouchers.list(contact, filter, now, o, c).stream().map(v -> view(v, program, now)).toList();
    return LoyaltyReads.paged(items, vouchers.count(contact, filter, now), o, c);
  }

  /** A voucher in Engage's shape (§3.3). */
  Map<String, @Nullable Object> view(VoucherBook.Voucher v, LoyaltyProgram program, Instant now) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", v.id().toString());
    m.put("checkNumber", v.checkNumber());
    m.put("name", v.name());
    m.put("value", Map.of("currency", v.currency(), "amount", v.value()));
    m.put(
        "localValues",
        Conversion.localValues(program, v.value()).entrySet().stream()
            .map(e -> Map.of("currency", e.getKey(), "amount", e.getValue()))
            .toList());
    m.put("bonusPoints", v.points());
    m.put("expiresOn", WireTime.format(v.expiresOn(), properties.timeZone()));
    m.put("redeemed", v.redeemedAt() != null);
    m.put(
        "redeemedOn",
        v.redeemedAt() == null ? null : WireTime.format(v.redeemedAt(), properties.timeZone()));
    m.put("expired", v.redeemedAt() == null && !v.expiresOn().isAfter(now));
    m.put("reactivations", v.reactivations());
    return m;
  }
}
