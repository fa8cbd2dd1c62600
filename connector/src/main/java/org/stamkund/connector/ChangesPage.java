package org.stamkund.connector;

import java.util.List;

/**
 * A page of the cursor changes feed ({@code GET /api/v2/contacts/changes/feed}).
 *
 * @param changes the changes, in feed order
 * @param next the cursor to pass as {@code after} for the next page
 * @param hasMore whether more changes are ready now
 */
public record ChangesPage(List<Change> changes, String next, boolean hasMore) {

  /** Copies. */
  public ChangesPage {
    changes = List.copyOf(changes);
  }

  /**
   * One change.
   *
   * @param cursor this change's position
   * @param contactId the contact that changed
   * @param changeType Created, Updated or Deleted
   * @param changedAt when, as the engine formats it
   */
  public record Change(String cursor, String contactId, String changeType, String changedAt) {

    /** Whether the contact was deleted. */
    public boolean isDeleted() {
      return "Deleted".equalsIgnoreCase(changeType);
    }
  }
}
