package org.stamkund.server.loyalty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.stamkund.server.platform.ApiException;

/** {@code /admin/loyalty/program}: the rules of the club. */
@RestController
@RequestMapping("/admin/loyalty/program")
@Tag(name = "Admin: loyalty programme")
class ProgramController {

  private final ProgramCatalog catalog;

  ProgramController(ProgramCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping
  @Operation(summary = "The programme in force")
  ProgramBody get() {
    return ProgramBody.of(catalog.current());
  }

  @PutMapping
  @Operation(
      summary = "Replace the programme",
      description =
          "Applies to receipts processed after it. Expiry models ROLLING_MONTHS (months),"
              + " CALENDAR_YEAR (years), INACTIVITY_MONTHS (months), NEVER; level basis"
              + " POINTS_EARNED or AMOUNT_SPENT; voucher models STEPS (pointsPerStep,"
              + " valuePerStep), WHOLE_BALANCE (minimumPoints, valuePerPoint) or NONE;"
              + " negativeBalance ALLOW or CLAMP. exchangeRates are group-currency units per unit"
              + " of each currency.")
  ProgramBody put(@RequestBody(required = false) @Nullable ProgramBody body) {
    if (body == null) {
      throw ApiException.badField("NoData", "body", "send the programme as JSON");
    }
    return ProgramBody.of(catalog.replace(body));
  }
}
