package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.admission.Admitted;
import io.batchgate.runner.run.RunSource;
import java.util.Map;

/** Fires a job: one run through admission, with the fire's nominal time as the idempotency key. */
public class JobFireTarget implements FireTarget {

    /** The caller of scheduled runs ({@code requestedBy}); idempotency keys are per caller and job. */
    public static final String CALLER = "scheduler";

    private final Admission admission;
    private final String replica;

    public JobFireTarget(Admission admission, String replica) {
        this.admission = admission;
        this.replica = replica;
    }

    @Override
    public ScheduleSpec.Target.Kind kind() {
        return ScheduleSpec.Target.Kind.JOB;
    }

    @Override
    public Outcome fire(ScheduleSpec schedule, Fire fire, Map<String, String> params, String idempotencyKey) {
        AdmissionRequest request = AdmissionRequest.of(
                        schedule.target().name(),
                        params,
                        new AdmissionRequest.Requester(
                                CALLER,
                                RunSource.schedule(schedule.name(), fire.nominal()),
                                replica,
                                "schedule " + schedule.name() + " " + fire.nominalDate() + " " + fire.start()))
                .withIdempotencyKey(idempotencyKey);
        Admitted admitted = admission.accept(request);
        if (admitted instanceof Admitted.Accepted accepted) {
            return new Outcome.Started(accepted.run().id().value());
        }
        if (admitted instanceof Admitted.Replayed replayed) {
            return new Outcome.Started(replayed.run().id().value());
        }
        return new Outcome.Refused(((Admitted.Refused) admitted).reason().toString());
    }
}
