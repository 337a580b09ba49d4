package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.runner.net.NetStart;
import io.batchgate.runner.net.NetTrigger;
import io.batchgate.runner.run.RunSource;
import java.util.Map;

/**
 * Fires a job net: one net run through {@link NetTrigger}, with the fire's nominal time as the
 * idempotency key, so a replayed fire answers the net run the first call started.
 */
public class NetFireTarget implements FireTarget {

    private final NetTrigger trigger;

    public NetFireTarget(NetTrigger trigger) {
        this.trigger = trigger;
    }

    @Override
    public ScheduleSpec.Target.Kind kind() {
        return ScheduleSpec.Target.Kind.NET;
    }

    @Override
    public Outcome fire(ScheduleSpec schedule, Fire fire, Map<String, String> params, String idempotencyKey) {
        NetStart start = trigger.start(
                schedule.target().name(), params, RunSource.schedule(schedule.name(), fire.nominal()), idempotencyKey);
        if (start instanceof NetStart.Started started) {
            return new Outcome.Started(started.run().id().value());
        }
        return new Outcome.Refused(((NetStart.Refused) start).reason().toString());
    }
}
