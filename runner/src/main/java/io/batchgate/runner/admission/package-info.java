/** Admission control in front of remote quotas, shared by all runner replicas through the database. */
@NullMarked
package io.batchgate.runner.admission;

import org.jspecify.annotations.NullMarked;
