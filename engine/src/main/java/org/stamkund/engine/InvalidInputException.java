package org.stamkund.engine;

import java.util.List;

/** Input broke one or more rules; every violation found is listed, first one first. */
public final class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final List<Violation> violations;

  /**
   * @param violations at least one violation
   */
  public InvalidInputException(List<Violation> violations) {
    super(violations.getFirst().field() + ": " + violations.getFirst().message());
    this.violations = List.copyOf(violations);
  }

  /** Every violation found, in the order the fields were checked. */
  public List<Violation> violations() {
    return violations;
  }
}
