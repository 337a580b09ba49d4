package io.batchgate.runner.net;

import io.batchgate.catalog.BoundParams;
import io.batchgate.catalog.Catalog;
import io.batchgate.catalog.InvalidParamsException;
import io.batchgate.catalog.NetDefinition;
import io.batchgate.catalog.NetMember;
import io.batchgate.catalog.Overlap;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.admission.Admitted;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.IllegalRunTransitionException;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts, moves on, cancels and reruns net runs. Members start only through {@link
 * Admission#accept}, with the key {@code net:<net run>/<member>/<generation>}: however many
 * replicas move the same net run on at once (a member's end is heard by its run's events on one
 * replica and by the sweep on all), a member starts once per generation — a second admission with
 * the key replays the first's run. Every change of a net run is stored conditionally on its
 * version, so concurrent progressions change it once; the loser reloads and finds nothing to do.
 */
public class NetRuns {

    private static final Logger log = LoggerFactory.getLogger(NetRuns.class);
    /** Passes of one {@link #advance}: a pass starts members, whose runs may already be over by the next. */
    private static final int MAX_PASSES = 8;

    private final NetRunStore store;
    /** The param a member's job declares to receive its predecessor's exit code, as JP1 names it. */
    public static final String PRECEDING_EXIT_CODE = "AJSPRE_RC";

    private final CurrentCatalog catalog;
    private final Admission admission;
    private final RunLedger ledger;
    private final RunCanceller canceller;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RandomGenerator random;

    public NetRuns(
            NetRunStore store,
            CurrentCatalog catalog,
            Admission admission,
            RunLedger ledger,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock,
            RandomGenerator random) {
        this.store = store;
        this.catalog = catalog;
        this.admission = admission;
        this.ledger = ledger;
        this.canceller = canceller;
        this.tx = tx;
        this.clock = clock;
        this.random = random;
    }

    /** Who starts a net run and how; its members' runs are requested by the same caller. */
    public record Requester(String caller, RunSource source) {}

    /**
     * Starts a run of the net as the catalog in force defines it (the run keeps that version). With
     * an idempotency key, the same caller, net and key answer the earlier net run.
     */
    public NetStart start(String netName, Map<String, String> raw, Requester requester, @Nullable String key) {
        Catalog current = catalog.get();
        Optional<NetDefinition> found = current.net(netName);
        if (found.isEmpty()) {
            return new NetStart.Refused(new NetStart.UnknownNet(netName));
        }
        NetDefinition net = found.get();
        BoundParams bound;
        try {
            bound = net.bind(raw);
        } catch (InvalidParamsException e) {
            return new NetStart.Refused(new NetStart.InvalidParams(netName, e.violations()));
        }
        if (key != null) {
            Optional<NetStart> earlier = replay(netName, bound, requester, key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        NetRunId id = NetRunId.next(clock.millis(), random);
        Instant acceptedAt = clock.instant();
        try {
            tx.executeWithoutResult(status -> {
                // Made afresh on every try: writing a net run takes its pending timeline, so a try
                // lost to a lock conflict and run again would store it without one (and skip twice).
                NetRun run = NetRun.accept(
                        id,
                        net,
                        current.version(),
                        bound.values(),
                        requester.caller(),
                        requester.source(),
                        key,
                        null,
                        acceptedAt);
                if (net.overlap() == Overlap.FORBID) {
                    store.lock(net.name());
                    List<NetRunId> active = store.active(net.name());
                    if (!active.isEmpty()) {
                        run.skip(active.get(0), clock.instant());
                    }
                }
                store.insert(run);
            });
        } catch (DuplicateKeyException raced) {
            if (key != null) {
                Optional<NetStart> earlier = replay(netName, bound, requester, key);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            throw raced;
        }
        log.info("net run {} of {} accepted from {}", id, netName, requester.source());
        advance(id);
        return new NetStart.Started(store.get(id), false);
    }

    private Optional<NetStart> replay(String netName, BoundParams bound, Requester requester, String key) {
        return store.findByIdempotencyKey(requester.caller(), netName, key).map(id -> {
            NetRun existing = store.get(id);
            if (!existing.params().equals(bound.values())) {
                return new NetStart.Refused(new NetStart.KeyReused(netName, id));
            }
            return new NetStart.Started(existing, true);
        });
    }

    public Optional<NetRun> find(NetRunId id) {
        return store.find(id);
    }

    public NetRun get(NetRunId id) {
        return store.get(id);
    }

    /** Net runs that ended at or after {@code since}, the earliest first. */
    public List<NetRunId> endedSince(java.time.Instant since, int limit) {
        return store.endedSince(since, limit);
    }

    /** Those of these net runs that have ended. */
    public List<NetRunId> endedAmong(java.util.Collection<NetRunId> ids) {
        return store.endedAmong(ids);
    }

    public List<NetRun> newest(@Nullable String net, int limit) {
        return store.newest(net, limit).stream().map(store::get).toList();
    }

    /**
     * Moves the net run on: records the ends of its members' runs, starts the members whose edges
     * now hold, skips those that can no longer run, and ends the net when nothing is left. Safe to
     * call any number of times from any replica.
     */
    public void advance(NetRunId id) {
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Pass done;
            try {
                done = tx.execute(status -> onePass(id));
            } catch (ConcurrentNetRunUpdateException raced) {
                continue; // another replica moved it on meanwhile: look again at what it stored
            }
            for (String running : done.toCancel()) {
                cancelMember(done.run(), running);
            }
            if (done.run().status() == NetRunStatus.ENDED) {
                if (done.ended()) {
                    log.info(
                            "net run {} of {} ended {}",
                            id,
                            done.run().net(),
                            done.run().judgment().orElseThrow());
                    done.run().parent().ifPresent(parent -> advance(parent.id()));
                }
                return;
            }
            if (done.toStart().isEmpty()) {
                return;
            }
            for (String member : done.toStart()) {
                startMember(done.run(), member);
            }
        }
    }

    private record Pass(NetRun run, List<String> toStart, List<String> toCancel, boolean ended) {}

    private Pass onePass(NetRunId id) {
        NetRun run = store.get(id);
        if (run.status() == NetRunStatus.ENDED) {
            return new Pass(run, List.of(), List.of(), false);
        }
        NetDefinition definition = definition(run);
        List<String> toCancel = new ArrayList<>();
        for (MemberRun member : run.members()) {
            if (member.state() != MemberState.RUNNING || member.runId() == null) {
                continue;
            }
            Optional<MemberEnd> end = endOf(member);
            if (end.isPresent()) {
                run.memberEnded(member.name(), member.runId(), end.get(), clock.instant());
            } else if (run.status() == NetRunStatus.CANCELLING && stillToStop(member)) {
                toCancel.add(member.name());
            }
        }
        List<String> toStart = run.advance(definition, clock.instant());
        boolean ended = run.status() == NetRunStatus.ENDED;
        if (!run.takePendingPeek().isEmpty()) {
            store.update(run);
        }
        return new Pass(run, toStart, toCancel, ended);
    }

    /** How the member's run or nested net run ended; empty while it is active. */
    private Optional<MemberEnd> endOf(MemberRun member) {
        String runId = member.runId();
        if (member.kind() == NetMember.Kind.NET) {
            NetRun child = store.get(new NetRunId(runId));
            if (child.status() != NetRunStatus.ENDED) {
                return Optional.empty();
            }
            NetJudgment judged = child.judgment().orElseThrow();
            MemberState state =
                    switch (judged) {
                        case SUCCEEDED -> MemberState.SUCCEEDED;
                        case WARNING -> MemberState.WARNING;
                        case CANCELLED -> MemberState.CANCELLED;
                        case FAILED, SKIPPED -> MemberState.FAILED;
                    };
            return Optional.of(
                    new MemberEnd(state, child.exitCode().orElse(null), "net run " + child.id() + " ended " + judged));
        }
        Run run = ledger.get(new RunId(runId));
        if (!run.status().isFinal()) {
            return Optional.empty();
        }
        MemberState state =
                switch (run.status()) {
                    case SUCCEEDED -> run.warning() ? MemberState.WARNING : MemberState.SUCCEEDED;
                    case CANCELLED -> MemberState.CANCELLED;
                    default -> MemberState.FAILED;
                };
        return Optional.of(new MemberEnd(state, run.exitCode(), "run " + run.status() + ": " + run.reason()));
    }

    private boolean stillToStop(MemberRun member) {
        if (member.kind() == NetMember.Kind.NET) {
            return store.get(new NetRunId(member.runId())).status() == NetRunStatus.RUNNING;
        }
        RunStatus status = ledger.get(new RunId(member.runId())).status();
        return !status.isFinal() && status != RunStatus.STOPPING;
    }

    private NetDefinition definition(NetRun run) {
        return catalog.net(run.net(), run.catalogVersion())
                .orElseThrow(() -> new IllegalStateException("net run " + run.id() + ": net " + run.net()
                        + " is in neither its catalog version " + run.catalogVersion() + " nor the catalog in force"));
    }

    /** Admits the member's run (or starts its nested net run) and records it; safe to repeat. */
    private void startMember(NetRun net, String name) {
        NetDefinition definition = definition(net);
        NetMember member = definition.member(name);
        Map<String, String> params = withPrecedingExitCode(net, member, member.resolve(net.params()));
        RunSource source = RunSource.net(net.id().value(), name);
        String started;
        if (member.kind() == NetMember.Kind.NET) {
            started = startNested(net, member, params, source).value();
        } else {
            AdmissionRequest request = AdmissionRequest.of(
                            member.target(),
                            params,
                            new AdmissionRequest.Requester(
                                    net.requestedBy(),
                                    source,
                                    "net run " + net.id(),
                                    "net " + net.net() + ", member " + name))
                    .withIdempotencyKey(net.memberKey(name));
            Admitted admitted = admission.accept(request);
            if (admitted instanceof Admitted.Accepted accepted) {
                started = accepted.run().id().value();
            } else if (admitted instanceof Admitted.Replayed replayed) {
                started = replayed.run().id().value();
            } else {
                Admitted.Refused refused = (Admitted.Refused) admitted;
                record(
                        net.id(),
                        run -> run.memberRefused(name, "admission refused: " + refused.reason(), clock.instant()));
                return;
            }
        }
        boolean recorded = record(net.id(), run -> run.memberStarted(name, started, clock.instant()));
        NetRun now = store.get(net.id());
        if (recorded && now.status() == NetRunStatus.CANCELLING) {
            cancelMember(now, name);
        }
    }

    /**
     * JP1's {@code AJSPRE_RC}: when the member's job declares a param of that name and the member
     * does not set it, it gets the exit code of the member's predecessor (the highest, for a
     * join), so imported scripts that read it keep working. The predecessors have ended before
     * the member starts, so a repeated start computes the same params (idempotency key).
     */
    private Map<String, String> withPrecedingExitCode(NetRun net, NetMember member, Map<String, String> params) {
        if (member.kind() != NetMember.Kind.JOB || params.containsKey(PRECEDING_EXIT_CODE)) {
            return params;
        }
        boolean declared = catalog.get()
                .job(member.target())
                .map(job -> job.params().containsKey(PRECEDING_EXIT_CODE))
                .orElse(false);
        if (!declared) {
            return params;
        }
        Optional<Integer> code = member.after().stream()
                .map(edge -> net.member(edge.from()).exitCode())
                .filter(java.util.Objects::nonNull)
                .max(Integer::compare);
        if (code.isEmpty()) {
            return params;
        }
        Map<String, String> with = new java.util.LinkedHashMap<>(params);
        with.put(PRECEDING_EXIT_CODE, String.valueOf(code.get()));
        return with;
    }

    private NetRunId startNested(NetRun net, NetMember member, Map<String, String> params, RunSource source) {
        int generation = net.member(member.name()).generation();
        Optional<NetRunId> existing = store.findChild(net.id(), member.name(), generation);
        if (existing.isPresent()) {
            return existing.get();
        }
        NetDefinition nested = catalog.net(member.target(), net.catalogVersion())
                .orElseThrow(() -> new IllegalStateException("no net " + member.target()));
        BoundParams bound;
        try {
            bound = nested.bind(params);
        } catch (InvalidParamsException e) {
            throw new IllegalStateException("nested net " + nested.name() + ": " + e.getMessage(), e);
        }
        NetRunId childId = NetRunId.next(clock.millis(), random);
        Instant acceptedAt = clock.instant();
        try {
            // made inside the transaction, afresh on every try (see start)
            tx.executeWithoutResult(status -> store.insert(NetRun.accept(
                    childId,
                    nested,
                    net.catalogVersion(),
                    bound.values(),
                    net.requestedBy(),
                    source,
                    null,
                    new NetRun.Parent(net.id(), member.name(), generation),
                    acceptedAt)));
        } catch (DuplicateKeyException raced) {
            return store.findChild(net.id(), member.name(), generation).orElseThrow(() -> raced);
        }
        advance(childId);
        return childId;
    }

    /** Applies a change to the stored net run, again on a fresh copy if another replica changed it first. */
    private boolean record(NetRunId id, Function<NetRun, Boolean> change) {
        for (int tries = 1; ; tries++) {
            try {
                return Boolean.TRUE.equals(tx.execute(status -> {
                    NetRun run = store.get(id);
                    boolean changed = change.apply(run);
                    if (changed) {
                        store.update(run);
                    }
                    return changed;
                }));
            } catch (ConcurrentNetRunUpdateException raced) {
                if (tries == MAX_PASSES) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Cancels the net run: no member starts any more, the active members' runs (and nested net
     * runs) are cancelled through the runs' own cancel path, and the net ends CANCELLED once they
     * have ended.
     */
    public NetRun cancel(NetRunId id, String why) {
        List<MemberRun> active = new ArrayList<>();
        record(id, run -> {
            active.clear();
            active.addAll(run.cancel(why, clock.instant()));
            return !run.takePendingPeek().isEmpty();
        });
        NetRun run = store.get(id);
        for (MemberRun member : active) {
            if (member.state() == MemberState.RUNNING) {
                cancelMember(run, member.name());
            }
        }
        advance(id);
        return store.get(id);
    }

    private void cancelMember(NetRun net, String name) {
        MemberRun member = net.member(name);
        String runId = member.runId();
        if (runId == null) {
            return;
        }
        try {
            if (member.kind() == NetMember.Kind.NET) {
                cancel(new NetRunId(runId), "net run " + net.id() + " cancelled");
            } else {
                canceller.cancel(new RunId(runId), "net run " + net.id() + " cancelled", StopCause.CANCEL);
            }
        } catch (IllegalRunTransitionException endedMeanwhile) {
            // it ended on its own: the next pass records how
        } catch (RuntimeException e) {
            log.error("net run {}: member {} (run {}) could not be cancelled", net.id(), name, runId, e);
        }
    }

    /** Rerun from failure: a new generation that keeps the members that ended normally. */
    public NetRun rerun(NetRunId id) {
        record(id, run -> {
            run.rerun(definition(run), clock.instant());
            return true;
        });
        advance(id);
        return store.get(id);
    }

    /** One pass over every active net run: what run events missed (a replica crashed between a run's end and the next start). */
    public void sweep() {
        for (NetRunId id : store.active(1000)) {
            try {
                advance(id);
            } catch (RuntimeException e) {
                log.warn("net run {}: the sweep could not move it on: {}", id, e.toString());
            }
        }
    }
}
