package org.stamkund.connector.oms;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The check of personal promotions before capture.
 *
 * @param items one per promotion instance, in the order asked
 */
public record PromotionCheck(List<Item> items) {

  /** Copies. */
  public PromotionCheck {
    items = List.copyOf(items);
  }

  /** Whether every instance may be used (StopOnError stops the capture otherwise). */
  public boolean allUsable() {
    return items.stream().allMatch(Item::usable);
  }

  /**
   * One instance's answer.
   *
   * @param instanceId the promotion instance
   * @param usable whether it may be used now
   * @param errorCode why not (the engine's code, or {@code EngineUnavailable}), or null
   */
  public record Item(String instanceId, boolean usable, @Nullable String errorCode) {}
}
