package io.batchgate.gateway.wait;

import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStatus;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Parks long-polling requests without a thread each, and answers them when their run — a job run
 * or a net run — is final. Whatever the number of waiters, one query per tick and kind finds the
 * runs that finished since the last tick (on any replica: the database is the only thing replicas
 * share), and only those runs are loaded. A waiter whose wait ends first is answered with the run
 * as it is then.
 *
 * <p>Waiting also renews cancel-on-abandon leases of job runs: every status read of a run marks it
 * seen, and parked waiters keep their runs' leases alive, in batches.
 */
public class RunWaiters {

    private final WaiterLeases leases;
    private final WaitProperties properties;
    private final Clock clock;
    private final Parked<RunId, Run> runs;
    private final Parked<NetRunId, NetRun> netRuns;
    private final Set<RunId> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private Instant lastTick;
    private Instant lastRenewal;

    public RunWaiters(RunLedger ledger, NetRuns netRuns, WaiterLeases leases, WaitProperties properties, Clock clock) {
        this.leases = leases;
        this.properties = properties;
        this.clock = clock;
        this.lastTick = clock.instant();
        this.lastRenewal = lastTick;
        this.runs = new Parked<>(new JobRuns(ledger), properties.recheck(), lastTick);
        this.netRuns = new Parked<>(new NetRunsAwaited(netRuns), properties.recheck(), lastTick);
    }

    /** The wait a request gets for the seconds it asked: at most {@link WaitProperties#max()}. */
    public Duration bounded(long seconds) {
        Duration asked = Duration.ofSeconds(Math.max(0, seconds));
        return asked.compareTo(properties.max()) > 0 ? properties.max() : asked;
    }

    /**
     * The wait a status read gets for its {@code ?wait=SECONDS}: a whole number from 0 to 3600, cut
     * to {@link WaitProperties#max()}; anything else is a 400 problem.
     */
    public Duration bounded(String waitParameter) {
        if (waitParameter != null && waitParameter.matches("[0-9]{1,4}")) {
            long seconds = Long.parseLong(waitParameter);
            if (seconds <= 3600) {
                return bounded(seconds);
            }
        }
        throw ApiProblem.badRequest(
                "malformed-request",
                "Malformed request",
                "'wait' must be a whole number of seconds from 0 to 3600 (waits are cut to the server's maximum)");
    }

    /**
     * Answers with {@code whenFinal} once the run is final (at once if it already is), or with
     * {@code whenWaitEnds} and the run as it is then after {@code wait}.
     */
    public <T> DeferredResult<T> await(
            Run run, Duration wait, Function<Run, T> whenFinal, Function<Run, T> whenWaitEnds) {
        seen(run.id());
        return runs.await(run, wait, closing, whenFinal, whenWaitEnds);
    }

    /**
     * Answers with {@code whenEnded} once the net run ended (at once if it has), or with {@code
     * whenWaitEnds} and the net run as it is then after {@code wait}.
     */
    public <T> DeferredResult<T> await(
            NetRun run, Duration wait, Function<NetRun, T> whenEnded, Function<NetRun, T> whenWaitEnds) {
        return netRuns.await(run, wait, closing, whenEnded, whenWaitEnds);
    }

    /**
     * The shortest cancel-on-abandon lease that parked waiters keep alive for sure: they renew it
     * every {@code leaseRenewal}, so a lease must outlast a few renewals and a sweep.
     */
    public Duration shortestAbandonLease() {
        return properties.leaseRenewal().multipliedBy(3);
    }

    /** Marks a run as polled: its cancel-on-abandon lease, if any, is renewed on the next tick. */
    public void seen(RunId runId) {
        seen.add(runId);
    }

    /** Parked waiters, of job runs and net runs. */
    public int waiting() {
        return runs.waiting() + netRuns.waiting();
    }

    /** One tick: answer the waiters of runs that finished, renew leases. */
    public void tick() {
        Instant now = clock.instant();
        Instant since = lastTick.minus(properties.lookback());
        lastTick = now;
        runs.tick(now, since);
        netRuns.tick(now, since);
        renewLeases(now);
    }

    private void renewLeases(Instant now) {
        Set<RunId> renew = new HashSet<>(seen);
        seen.removeAll(renew);
        if (!now.isBefore(lastRenewal.plus(properties.leaseRenewal()))) {
            lastRenewal = now;
            renew.addAll(runs.waited());
        }
        if (!renew.isEmpty()) {
            leases.renew(renew, now);
        }
    }

    /** (Re)opens for waiters: at start, and when a stopped context is started again. */
    public void open() {
        closing = false;
    }

    /**
     * Answers every parked waiter now with its run as it is (202 unless final). Called when the
     * gateway shuts down, so that a rolling deploy does not hold long polls until its graceful
     * shutdown times out: the clients poll again, and reach another replica or this one restarted.
     */
    public void releaseAll() {
        closing = true; // requests arriving during the graceful shutdown are answered at once
        runs.releaseAll();
        netRuns.releaseAll();
    }

    private record JobRuns(RunLedger ledger) implements Awaited<RunId, Run> {
        @Override
        public RunId id(Run run) {
            return run.id();
        }

        @Override
        public boolean isFinal(Run run) {
            return run.status().isFinal();
        }

        @Override
        public Optional<Run> find(RunId id) {
            return ledger.find(id);
        }

        @Override
        public List<Run> findAll(Collection<RunId> ids) {
            return ledger.findAll(ids);
        }

        @Override
        public List<RunId> finishedSince(Instant since, int limit) {
            return ledger.finishedSince(since, limit);
        }

        @Override
        public List<RunId> finishedAmong(Collection<RunId> ids) {
            return ledger.finishedAmong(ids);
        }
    }

    /** Net runs: final once ENDED (a rerun may start one again, but a waiter was answered by then). */
    private record NetRunsAwaited(NetRuns netRuns) implements Awaited<NetRunId, NetRun> {
        @Override
        public NetRunId id(NetRun run) {
            return run.id();
        }

        @Override
        public boolean isFinal(NetRun run) {
            return run.status() == NetRunStatus.ENDED;
        }

        @Override
        public Optional<NetRun> find(NetRunId id) {
            return netRuns.find(id);
        }

        @Override
        public List<NetRun> findAll(Collection<NetRunId> ids) {
            // a net run loads with its members and timeline: one by one, only those that ended
            List<NetRun> found = new ArrayList<>();
            ids.forEach(id -> netRuns.find(id).ifPresent(found::add));
            return found;
        }

        @Override
        public List<NetRunId> finishedSince(Instant since, int limit) {
            return netRuns.endedSince(since, limit);
        }

        @Override
        public List<NetRunId> finishedAmong(Collection<NetRunId> ids) {
            return netRuns.endedAmong(ids);
        }
    }
}
