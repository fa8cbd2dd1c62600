package org.stamkund.server.loyalty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.stamkund.server.contacts.ContactKeys;
import org.stamkund.server.platform.ApiException;

/** Shared pieces of the loyalty read endpoints: contact checks and Engage's paging envelope. */
@Component
class LoyaltyReads {

  static final int MAX_COUNT = 500;

  private final ContactKeys keys;
  private final JdbcClient jdbc;

  LoyaltyReads(ContactKeys keys, JdbcClient jdbc) {
    this.keys = keys;
    this.jdbc = jdbc;
  }

  /**
   * @throws ApiException 400 InvalidContactId for a malformed id, 404 ContactNotFound for an
   *     unknown one
   */
  UUID requireContact(String raw) {
    UUID id = UUID.fromString(keys.normalise("contactId", raw, "contactId"));
    boolean exists =
        jdbc.sql("select exists (select 1 from contacts where id = ?)")
            .param(id)
            .query(Boolean.class)
            .single();
    if (!exists) {
      throw ApiException.notFound("ContactNotFound", "no contact " + id);
    }
    return id;
  }

  static int offset(@Nullable Integer offset) {
    if (offset == null) {
      return 0;
    }
    if (offset < 0) {
      throw ApiException.badField("InvalidOffset", "offset", "0 or more");
    }
    return offset;
  }

  static int count(@Nullable Integer count) {
    if (count == null) {
      return 100;
    }
    if (count < 1 || count > MAX_COUNT) {
      throw ApiException.badField("InvalidCount", "count", "between 1 and " + MAX_COUNT);
    }
    return count;
  }

  /** Engage's {@code PagedResultOf…}: items, totalCount, offset, count. */
  static Map<String, Object> paged(List<?> items, long total, int offset, int count) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    page.put("totalCount", total);
    page.put("offset", offset);
    page.put("count", count);
    return page;
  }
}
