package org.stamkund.server.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.stamkund.engine.InvalidInputException;
import org.stamkund.engine.Violation;
import tools.jackson.core.JacksonException;

/**
 * Maps every failure to the error envelope. Bad input is a 4xx naming the problem and the field;
 * only a fault of the server is a 500, and its log line carries no request data.
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorEnvelope> api(ApiException e) {
    return ResponseEntity.status(e.status()).body(e.envelope());
  }

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<ErrorEnvelope> invalidContact(InvalidInputException e) {
    return unprocessable(e.violations());
  }

  /** 422 for a payload whose fields break rules, listing every violation. */
  static ResponseEntity<ErrorEnvelope> unprocessable(List<Violation> violations) {
    Violation first = violations.getFirst();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("field", first.field());
    details.put("errors", violations.stream().map(ApiExceptionHandler::violation).toList());
    return envelope(
        HttpStatus.UNPROCESSABLE_CONTENT,
        first.errorCode(),
        first.field() + ": " + first.message(),
        details);
  }

  static Map<String, String> violation(Violation v) {
    return Map.of("field", v.field(), "errorCode", v.errorCode(), "message", v.message());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorEnvelope> unreadable(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException api) {
        return api(api);
      }
      if (cause instanceof JacksonException jackson) {
        String path = jackson.getPathReference();
        String field = fieldOf(jackson);
        if (!field.isEmpty()) {
          return envelope(
              HttpStatus.BAD_REQUEST,
              "InvalidFieldType",
              field + ": has the wrong type or format",
              Map.of("field", field));
        }
        return envelope(
            HttpStatus.BAD_REQUEST,
            "InvalidJson",
            "the body is not valid JSON" + (path.isEmpty() ? "" : " near " + path),
            Map.of("field", "body"));
      }
    }
    return envelope(
        HttpStatus.BAD_REQUEST, "NoData", "the request needs a JSON body", Map.of("field", "body"));
  }

  private static String fieldOf(JacksonException e) {
    StringBuilder field = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      String name = ref.getPropertyName();
      if (name != null) {
        field.append(field.isEmpty() ? "" : ".").append(name);
      } else if (ref.getIndex() >= 0) {
        field.append('[').append(ref.getIndex()).append(']');
      }
    }
    return field.toString();
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorEnvelope> typeMismatch(MethodArgumentTypeMismatchException e) {
    return envelope(
        HttpStatus.BAD_REQUEST,
        "InvalidParameter",
        e.getName() + ": has the wrong format",
        Map.of("field", e.getName()));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ErrorEnvelope> missingParameter(MissingServletRequestParameterException e) {
    return envelope(
        HttpStatus.BAD_REQUEST,
        "MissingParameter",
        e.getParameterName() + ": is required",
        Map.of("field", e.getParameterName()));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorEnvelope> missingHeader(MissingRequestHeaderException e) {
    return envelope(
        HttpStatus.BAD_REQUEST,
        "MissingHeader",
        e.getHeaderName() + ": header is required",
        Map.of("field", e.getHeaderName()));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorEnvelope> method(HttpRequestMethodNotSupportedException e) {
    return envelope(
        HttpStatus.METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        e.getMethod() + " is not supported here",
        Map.of());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorEnvelope> mediaType(HttpMediaTypeNotSupportedException e) {
    return envelope(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "UnsupportedMediaType",
        "send the body as application/json",
        Map.of("field", "Content-Type"));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorEnvelope> noResource(NoResourceFoundException e) {
    return envelope(HttpStatus.NOT_FOUND, "NotFound", "no such endpoint", Map.of());
  }

  /**
   * PostgreSQL's class 22 ("data exception": a NUL in text, a number out of range) means a value
   * the validation let through is still unstorable: bad input, so 400, and nothing was written.
   */
  @ExceptionHandler(org.springframework.dao.DataAccessException.class)
  ResponseEntity<ErrorEnvelope> dataAccess(org.springframework.dao.DataAccessException e) {
    if (e instanceof org.springframework.dao.PessimisticLockingFailureException) {
      return envelope(
          HttpStatus.CONFLICT,
          "ConcurrentUpdate",
          "another request changed the same data at the same moment; retry",
          Map.of());
    }
    String state = sqlState(e);
    if (state.startsWith("sqlState=22")) {
      return envelope(
          HttpStatus.BAD_REQUEST,
          "InvalidValue",
          "a value cannot be stored: out of range or containing invalid characters",
          Map.of("field", "body"));
    }
    return unexpected(e);
  }

  /** Spring MVC's own exceptions that carry a 4xx (406 Not Acceptable, …) keep it. */
  private static @Nullable ResponseEntity<ErrorEnvelope> framework(Exception e) {
    if (!(e instanceof org.springframework.web.ErrorResponse response)) {
      return null;
    }
    HttpStatus status = HttpStatus.resolve(response.getStatusCode().value());
    if (status != null && status.is4xxClientError()) {
      return ResponseEntity.status(status)
          .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
          .body(
              new ErrorEnvelope(
                  status.value(),
                  status.name().charAt(0)
                      + status
                          .name()
                          .substring(1)
                          .toLowerCase(java.util.Locale.ROOT)
                          .replace("_", ""),
                  status.getReasonPhrase(),
                  null,
                  Map.of()));
    }
    return null;
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorEnvelope> unexpected(Exception e) {
    ResponseEntity<ErrorEnvelope> clientError = framework(e);
    if (clientError != null) {
      return clientError;
    }
    // The class and SQL state only: database messages can quote personal data.
    log.error("unexpected failure: {} {} at {}", e.getClass().getName(), sqlState(e), whereIn(e));
    return envelope(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "InternalError",
        "an unexpected error occurred",
        Map.of());
  }

  private static String sqlState(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLException sql) {
        return "sqlState=" + sql.getSQLState();
      }
    }
    return "";
  }

  static ResponseEntity<ErrorEnvelope> envelope(
      HttpStatus status, String errorCode, String message, Map<String, Object> details) {
    return ResponseEntity.status(status)
        .body(ErrorEnvelope.of(status.value(), errorCode, message, details));
  }

  /** Where in Stamkund's code a failure arose: frames only, never the message (personal data). */
  static String whereIn(Throwable e) {
    return java.util.Arrays.stream(e.getStackTrace())
        .filter(f -> f.getClassName().startsWith("org.stamkund."))
        .limit(3)
        .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
        .collect(java.util.stream.Collectors.joining(" < "));
  }
}
