/** Contacts: identifiers, contact types, attribute rules and the validation of contact payloads. */
@NullMarked
package org.stamkund.engine.contacts;

import org.jspecify.annotations.NullMarked;
