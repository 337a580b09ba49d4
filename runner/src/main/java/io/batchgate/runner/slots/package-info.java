/** Overlap and concurrency limits, kept in the database so they hold across replicas. */
@NullMarked
package io.batchgate.runner.slots;

import org.jspecify.annotations.NullMarked;
