/**
 * Admission: the one way a run comes to be ({@link io.batchgate.runner.admission.Admission}), for
 * every way in (HTTP API, jobctl, console, schedules, job nets); and admission control in front of
 * remote quotas ({@link io.batchgate.runner.admission.LaunchBucket}), shared by all runner replicas
 * through the database.
 */
@NullMarked
package io.batchgate.runner.admission;

import org.jspecify.annotations.NullMarked;
