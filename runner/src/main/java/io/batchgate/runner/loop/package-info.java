/** The one way batchgate runs a background loop. */
@NullMarked
package io.batchgate.runner.loop;

import org.jspecify.annotations.NullMarked;
