package org.stamkund.connector;

/**
 * The engine gave no usable answer within the call's budget: connection refused or reset, time
 * budget spent, circuit breaker open, or 5xx / 429 after the retries the budget allowed.
 */
public final class EngineUnavailableException extends StamkundException {

  private static final long serialVersionUID = 1L;

  /**
   * @param status the last HTTP status seen, 0 when no response arrived
   * @param message what happened, free of personal data
   */
  public EngineUnavailableException(int status, String message) {
    super(status, null, message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
