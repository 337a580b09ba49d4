@NullMarked
package io.batchgate.runner.launch;

import org.jspecify.annotations.NullMarked;
