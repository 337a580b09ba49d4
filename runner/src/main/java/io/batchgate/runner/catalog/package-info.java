@NullMarked
package io.batchgate.runner.catalog;

import org.jspecify.annotations.NullMarked;
