@NullMarked
package io.batchgate.runner.runtime.local;

import org.jspecify.annotations.NullMarked;
