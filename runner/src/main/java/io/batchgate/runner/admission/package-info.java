/**
 * Admission: the one way a run comes to be ({@link io.batchgate.runner.admission.Admission}), for
 * every way in (HTTP API, jobctl, console, schedules, job nets).
 */
@NullMarked
package io.batchgate.runner.admission;

import org.jspecify.annotations.NullMarked;
