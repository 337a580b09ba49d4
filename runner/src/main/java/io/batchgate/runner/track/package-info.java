@NullMarked
package io.batchgate.runner.track;

import org.jspecify.annotations.NullMarked;
