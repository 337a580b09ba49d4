package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import java.util.Map;

/**
 * What a schedule's fire starts: a job run (through admission, {@link JobFireTarget}) or, once
 * nets exist, a net run. Called once per fire by whichever replica gets to it first and again
 * after a crash, so an implementation must answer the same run for the same idempotency key.
 */
public interface FireTarget {

    /** The kind of target this fires. */
    ScheduleSpec.Target.Kind kind();

    /**
     * Starts the target for this fire.
     *
     * @param idempotencyKey the same for every call of this fire
     * @param source the run source, {@code schedule:<name>@<nominal instant>}
     */
    Outcome fire(ScheduleSpec schedule, Fire fire, Map<String, String> params, String idempotencyKey);

    /** A run (new or replayed: the id of the run this fire is), or a refusal that calling again will not change. */
    sealed interface Outcome {

        record Started(String runId) implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }
}
