/**
 * The contact register: contact types, contacts and their keys, consents, preferences, the changes
 * feed, bulk import, person lookup and the contact overview.
 */
@NullMarked
package org.stamkund.server.contacts;

import org.jspecify.annotations.NullMarked;
