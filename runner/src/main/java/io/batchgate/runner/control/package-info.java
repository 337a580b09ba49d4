/** Operations on runs from outside the lifecycle: cancel, and the deadlines that enforce timeouts. */
@NullMarked
package io.batchgate.runner.control;

import org.jspecify.annotations.NullMarked;
