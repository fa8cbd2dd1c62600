package org.stamkund.connector;

import org.jspecify.annotations.Nullable;

/**
 * A call the engine refused or could not answer. {@link #status()} is the HTTP status, or 0 when no
 * response arrived (connection error, time budget spent, circuit open); {@link #errorCode()} is
 * Engage's PascalCase error code from the error envelope when there was one.
 */
public class StamkundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable String errorCode;
  private final @Nullable String body;

  /**
   * @param status the HTTP status, 0 when there was no response
   * @param errorCode the envelope's {@code errorCode}, if any
   * @param message what happened, free of personal data
   * @param body the response body (may carry personal data: never log it)
   */
  public StamkundException(
      int status, @Nullable String errorCode, String message, @Nullable String body) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.body = body;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** Engage's error code (for example {@code ContactNotFound}), or null. */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** The raw response body, or null. May carry personal data: never log it. */
  public @Nullable String body() {
    return body;
  }

  /**
   * Whether trying the same call again later may succeed: no response, 408, 429 or any 5xx. Other
   * 4xx answers are final.
   */
  public boolean isRetryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }

  /** Whether the engine answered 404. */
  public boolean isNotFound() {
    return status == 404;
  }
}
