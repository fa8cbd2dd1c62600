package org.stamkund.server.platform;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one error shape of every surface: {@code
 * {"statusCode":404,"errorCode":"ContactNotFound","message":…,"detail":…,"messageDetails":{…}}}.
 */
public record ErrorEnvelope(
    int statusCode,
    String errorCode,
    String message,
    @Nullable String detail,
    Map<String, Object> messageDetails) {

  /** An envelope whose detail names the field, when the details name one. */
  public static ErrorEnvelope of(
      int statusCode, String errorCode, String message, Map<String, Object> details) {
    @Nullable String detail =
        details.containsKey("field") ? "field: " + details.get("field") : null;
    return new ErrorEnvelope(statusCode, errorCode, message, detail, details);
  }
}
