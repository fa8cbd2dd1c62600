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
    Map<String, Object> messageDetails) {}
