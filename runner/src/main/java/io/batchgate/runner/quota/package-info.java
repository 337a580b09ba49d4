/**
 * Admission control in front of remote quotas (ECS RunTask), shared by all runner replicas through
 * the database.
 */
@NullMarked
package io.batchgate.runner.quota;

import org.jspecify.annotations.NullMarked;
