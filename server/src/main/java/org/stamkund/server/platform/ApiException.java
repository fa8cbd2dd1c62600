package org.stamkund.server.platform;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request that cannot be served, answered with the Engage error envelope: its status, its
 * PascalCase error code, a message and optional details.
 */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String errorCode;

  @SuppressWarnings("serial")
  private final Map<String, Object> details;

  public ApiException(HttpStatus status, String errorCode, String message) {
    this(status, errorCode, message, Map.of());
  }

  public ApiException(
      HttpStatus status, String errorCode, String message, Map<String, Object> details) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.details = Map.copyOf(details);
  }

  public HttpStatus status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  public Map<String, Object> details() {
    return details;
  }

  /** The body this failure is answered with. */
  public ErrorEnvelope envelope() {
    String message = getMessage();
    return ErrorEnvelope.of(status.value(), errorCode, message == null ? "" : message, details);
  }

  /** 400 for a field that is missing or malformed. */
  public static ApiException badField(String errorCode, String field, String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST, errorCode, field + ": " + message, Map.of("field", field));
  }

  /** 404 with the given code. */
  public static ApiException notFound(String errorCode, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, errorCode, message);
  }

  /** 409 with the given code. */
  public static ApiException conflict(String errorCode, String message) {
    return new ApiException(HttpStatus.CONFLICT, errorCode, message);
  }

  /** 503: the server cannot take the request now; the client should try again shortly. */
  public static ApiException busy() {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE, "ServiceBusy", "the server is busy; try again shortly");
  }
}
