package org.stamkund.server.storefront;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Contacts' storefront accounts, in table storefront_accounts. */
@Component
class JdbcStorefrontAccounts {

  private final JdbcClient jdbc;

  JdbcStorefrontAccounts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * An account.
   *
   * @param passwordVersion grows with every password set; 0 before the first
   */
  record Account(
      UUID contactId,
      String storefrontId,
      @Nullable String passwordHash,
      int passwordVersion,
      Instant activatedAt) {}

  Optional<Account> find(UUID contactId, String storefrontId) {
    return jdbc.sql("select * from storefront_accounts where contact_id = ? and storefront_id = ?")
        .params(contactId, storefrontId)
        .query(
            (rs, n) ->
                new Account(
                    rs.getObject("contact_id", UUID.class),
                    rs.getString("storefront_id"),
                    rs.getString("password_hash"),
                    rs.getInt("password_version"),
                    rs.getTimestamp("activated_at").toInstant()))
        .optional();
  }

  /**
   * Opens an account unless the contact has one in this storefront.
   *
   * @param passwordHash null for an account whose password is set later by e-mailed token
   * @return whether it was opened by this call
   */
  boolean open(
      UUID contactId,
      String storefrontId,
      String activatedBy,
      @Nullable String passwordHash,
      Instant now) {
    return jdbc.sql(
                """
                insert into storefront_accounts (contact_id, storefront_id, password_hash,
                    password_version, activated_at, activated_by, password_set_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (contact_id, storefront_id) do nothing
                """)
            .params(
                java.util.Arrays.<@Nullable Object>asList(
                    contactId,
                    storefrontId,
                    passwordHash,
                    passwordHash == null ? 0 : 1,
                    Timestamp.from(now),
                    activatedBy,
                    passwordHash == null ? null : Timestamp.from(now)))
            .update()
        == 1;
  }

  /**
   * Sets the password if the account is still at {@code expectedVersion}, so an e-mailed token
   * works once and two racing uses of it set one password.
   *
   * @return the new version, or empty when the version had moved on
   */
  Optional<Integer> setPassword(
      UUID contactId, String storefrontId, int expectedVersion, String hash, Instant now) {
    return jdbc.sql(
            """
            update storefront_accounts
            set password_hash = ?, password_version = password_version + 1, password_set_at = ?
            where contact_id = ? and storefront_id = ? and password_version = ?
            returning password_version
            """)
        .params(hash, Timestamp.from(now), contactId, storefrontId, expectedVersion)
        .query(Integer.class)
        .optional();
  }
}
