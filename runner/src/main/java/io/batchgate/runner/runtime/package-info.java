/** The task-runtime port: where attempts execute. Adapters live in sub-packages. */
@NullMarked
package io.batchgate.runner.runtime;

import org.jspecify.annotations.NullMarked;
