package org.stamkund.connector;

import tools.jackson.databind.JsonNode;

/**
 * A successful (2xx) answer.
 *
 * @param status the HTTP status
 * @param body the body as text, empty when there was none
 */
public record ApiResponse(int status, String body) {

  /** The body as JSON; the missing node when empty. */
  public JsonNode json() {
    return Json.parse(body);
  }
}
