package org.stamkund.server.contacts;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A part of {@code GET /api/v2/contactoverview} beyond the contact itself (points, vouchers,
 * promotions …); each module that has something to show about a contact provides a bean.
 */
public interface ContactOverviewSection {

  /** The property name of this section in the overview. */
  String name();

  /** The section's content for a contact, or null to leave it out. */
  @Nullable Object forContact(UUID contactId);
}
