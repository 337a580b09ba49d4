/** The ECS task runtime: RunTask, tracking by batched DescribeTasks and state-change events. */
@NullMarked
package io.batchgate.runner.runtime.ecs;

import org.jspecify.annotations.NullMarked;
