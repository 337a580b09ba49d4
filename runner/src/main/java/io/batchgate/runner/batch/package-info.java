@NullMarked
package io.batchgate.runner.batch;

import org.jspecify.annotations.NullMarked;
