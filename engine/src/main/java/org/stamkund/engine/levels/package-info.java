/** Member levels: which tier a member holds and until when. */
@NullMarked
package org.stamkund.engine.levels;

import org.jspecify.annotations.NullMarked;
