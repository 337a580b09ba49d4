package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.catalog.ScheduleSpec.CatchUp;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.monitor.Monitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One pass of a replica's scheduler loop. For every schedule of the current catalog: the fires
 * that fell due since its state's {@code checked_until} are inserted into the fire ledger (the
 * insert that wins is the fire), fires older than {@code lateAfter} were missed while no runner
 * was up and follow the schedule's catch-up policy. Then every fire without a run is admitted —
 * the ones this replica just inserted, and any another replica inserted and crashed before
 * admitting — and fires still without a run after their grace are reported missed.
 */
public class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final int BATCH = 100;

    /**
     * Nominal time → run accepted: a pass interval (5 s) when all is well, minutes when admission
     * waits or a replica died at the fire time (12 buckets, not Micrometer's 70-odd).
     */
    static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
    };

    private final CurrentCatalog catalog;
    private final FireLedger ledger;
    private final Map<ScheduleSpec.Target.Kind, FireTarget> targets;
    private final Monitor monitor;
    private final TransactionTemplate tx;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final String replica;
    private final Duration lateAfter;

    public Scheduler(
            CurrentCatalog catalog,
            FireLedger ledger,
            List<FireTarget> targets,
            Monitor monitor,
            TransactionTemplate tx,
            MeterRegistry metrics,
            Clock clock,
            String replica,
            Duration lateAfter) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.targets = new EnumMap<>(ScheduleSpec.Target.Kind.class);
        targets.forEach(target -> this.targets.put(target.kind(), target));
        this.monitor = monitor;
        this.tx = tx;
        this.metrics = metrics;
        this.clock = clock;
        this.replica = replica;
        this.lateAfter = lateAfter;
    }

    /** What one pass did, for tests and the log. */
    public record Pass(int fired, int duplicates, int admitted, int missed) {}

    public Pass pass() {
        Instant now = clock.instant();
        int fired = 0;
        int duplicates = 0;
        Map<String, ScheduleSpec> current = catalog.get().schedules();
        try {
            ledger.advanceAllBut(current.keySet(), now);
        } catch (RuntimeException e) {
            log.error("could not move the state of schedules no longer in the catalog", e);
        }
        for (ScheduleSpec schedule : current.values()) {
            try {
                int[] counts = fireDue(schedule, now);
                fired += counts[0];
                duplicates += counts[1];
            } catch (RuntimeException e) {
                log.error("schedule {}: could not look for due fires; the next pass tries again", schedule.name(), e);
            }
        }
        int admitted = admitPending();
        int missed = reportMissed();
        return new Pass(fired, duplicates, admitted, missed);
    }

    /** Inserts the due fires of one schedule: {fired by this replica, already fired by another}. */
    private int[] fireDue(ScheduleSpec schedule, Instant now) {
        FireLedger.State state = ledger.state(schedule.name()).orElse(null);
        if (state == null) {
            ledger.firstSeen(schedule.name(), now);
            return new int[] {0, 0};
        }
        if (state.paused() || !now.isAfter(state.checkedUntil())) {
            return new int[] {0, 0};
        }
        // registered up front, so a scrape shows 0 rather than nothing (and increase() sees the first one)
        metrics.counter("batchgate.schedule.fires", "schedule", schedule.name());
        metrics.counter("batchgate.schedule.duplicates", "schedule", schedule.name());
        skipped(schedule.name());
        missed(schedule.name());
        lag(schedule.name());
        List<Fire> due = FireTimes.between(schedule, state.checkedUntil(), now);
        Instant lateBefore = now.minus(lateAfter);
        List<Fire> late =
                due.stream().filter(f -> f.nominal().isBefore(lateBefore)).toList();
        List<Fire> onTime = due.subList(late.size(), due.size());
        List<Fire> caughtUp = caughtUp(schedule, late);
        int fired = 0;
        int duplicates = 0;
        List<Fire> toFire = new ArrayList<>(caughtUp);
        toFire.addAll(onTime);
        for (Fire fire : toFire) {
            boolean catchUp = caughtUp.contains(fire);
            if (ledger.tryInsert(fire, catchUp, now, replica, fire.nominal().plus(schedule.grace()))) {
                fired++;
                metrics.counter("batchgate.schedule.fires", "schedule", schedule.name())
                        .increment();
            } else {
                duplicates++;
                metrics.counter("batchgate.schedule.duplicates", "schedule", schedule.name())
                        .increment();
            }
        }
        String note = late.isEmpty()
                ? null
                : String.format(
                        "%s: %d fire(s) missed from %s to %s while no runner was up; caught up %d (catchUp %s)",
                        now,
                        late.size(),
                        late.get(0).nominal(),
                        late.get(late.size() - 1).nominal(),
                        caughtUp.size(),
                        schedule.catchUp().name().toLowerCase(java.util.Locale.ROOT));
        if (ledger.advance(schedule.name(), state.checkedUntil(), now, note) && note != null) {
            int skipped = late.size() - caughtUp.size();
            if (skipped > 0) {
                skipped(schedule.name()).increment(skipped);
            }
            log.warn("schedule {}: {}", schedule.name(), note);
        }
        return new int[] {fired, duplicates};
    }

    private static List<Fire> caughtUp(ScheduleSpec schedule, List<Fire> late) {
        if (late.isEmpty() || schedule.catchUp() == CatchUp.SKIP) {
            return List.of();
        }
        int keep = schedule.catchUp() == CatchUp.ONCE ? 1 : Math.min(schedule.catchUpMax(), late.size());
        return late.subList(late.size() - keep, late.size());
    }

    /** Admits every fire without a run; returns how many got their run from this replica. */
    private int admitPending() {
        int admitted = 0;
        for (FireLedger.FireRow row : ledger.unadmitted(BATCH)) {
            try {
                if (admit(row)) {
                    admitted++;
                }
            } catch (RuntimeException e) {
                log.error(
                        "schedule {}: could not admit the fire of {}; the next pass tries again",
                        row.schedule(),
                        row.nominal(),
                        e);
            }
        }
        return admitted;
    }

    private boolean admit(FireLedger.FireRow row) {
        Optional<ScheduleSpec> schedule =
                Optional.ofNullable(catalog.get().schedules().get(row.schedule()));
        if (schedule.isEmpty()) {
            ledger.refused(row.schedule(), row.nominal(), "the schedule is no longer in the catalog");
            return false;
        }
        ScheduleSpec spec = schedule.get();
        FireTarget target = targets.get(spec.target().kind());
        if (target == null) {
            ledger.refused(
                    row.schedule(),
                    row.nominal(),
                    "nothing fires a " + spec.target().kind() + " here");
            return false;
        }
        Fire fire = new Fire(row.schedule(), row.nominalDate(), FireLedger.start(row), row.nominal());
        FireTarget.Outcome outcome = target.fire(spec, fire, spec.paramsFor(row.nominalDate()), idempotencyKey(fire));
        Instant now = clock.instant();
        if (outcome instanceof FireTarget.Outcome.Started started) {
            if (ledger.admitted(row.schedule(), row.nominal(), started.runId(), now)) {
                lag(row.schedule()).record(Duration.between(row.nominal(), now));
                log.info(
                        "schedule {} fired {} for {} {}: run {}",
                        row.schedule(),
                        row.nominal(),
                        row.nominalDate(),
                        row.start(),
                        started.runId());
                return true;
            }
            return false;
        }
        String reason = ((FireTarget.Outcome.Refused) outcome).reason();
        ledger.refused(row.schedule(), row.nominal(), reason);
        log.warn("schedule {}: the fire of {} was refused: {}", row.schedule(), row.nominal(), reason);
        return false;
    }

    // Tagged by schedule: the names come from the catalog (a fire is admitted only while its
    // schedule is in force), so the series are bounded like the job tag's.
    private Timer lag(String schedule) {
        return Timer.builder("batchgate.schedule.lag")
                .description("From a fire's nominal time to its run accepted")
                .tag("schedule", schedule)
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(metrics);
    }

    private Counter skipped(String schedule) {
        return Counter.builder("batchgate.schedule.skipped")
                .description("Fires missed during downtime that the catch-up policy did not run")
                .tag("schedule", schedule)
                .register(metrics);
    }

    private Counter missed(String schedule) {
        return Counter.builder("batchgate.schedule.missed")
                .description("Fires that did not produce a run within the schedule's grace")
                .tag("schedule", schedule)
                .register(metrics);
    }

    /** The idempotency key of a fire: the same on every replica and after restarts. */
    static String idempotencyKey(Fire fire) {
        return "schedule:" + fire.schedule() + "@" + fire.nominal();
    }

    /** Reports fires that have no run within their grace, once each across the replicas. */
    private int reportMissed() {
        int reported = 0;
        Instant now = clock.instant();
        for (FireLedger.FireRow row : ledger.overdue(now, BATCH)) {
            ScheduleSpec spec = catalog.get().schedules().get(row.schedule());
            String reason = row.runId() != null
                    ? "its run " + row.runId() + " was accepted only at " + row.acceptedAt()
                    : row.refusal() != null ? "admission refused it: " + row.refusal() : "no run was started";
            boolean claimed = Boolean.TRUE.equals(tx.execute(status -> {
                if (!ledger.markMissed(row.schedule(), row.nominal(), now)) {
                    return false;
                }
                if (spec != null && spec.target().kind() == ScheduleSpec.Target.Kind.JOB) {
                    monitor.fireMissed(new Monitor.MissedFire(
                            spec.target().name(), row.schedule(), row.nominal(), row.nominalDate(), reason));
                }
                return true;
            }));
            if (claimed) {
                reported++;
                missed(row.schedule()).increment();
                log.warn(
                        "schedule {}: the fire of {} ({} {}) has no run within its grace: {}",
                        row.schedule(),
                        row.nominal(),
                        row.nominalDate(),
                        row.start(),
                        reason);
            }
        }
        return reported;
    }
}
