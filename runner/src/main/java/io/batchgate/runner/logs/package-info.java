@NullMarked
package io.batchgate.runner.logs;

import org.jspecify.annotations.NullMarked;
