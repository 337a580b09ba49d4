package io.batchgate.runner.net;

import io.batchgate.catalog.NetCondition;
import io.batchgate.catalog.NetDefinition;
import io.batchgate.catalog.NetEdge;
import io.batchgate.catalog.NetMember;
import io.batchgate.runner.run.RunSource;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One run of a job net: owns its members' states and decides, from the net's edges, which member
 * starts next, which will never run, and how the whole ended. It starts nothing itself: {@link
 * #advance} names the members to start and {@link NetRuns} admits their runs.
 *
 * <p>Judgment (JP1's end judgment of a jobnet): FAILED if a member failed and no recovery member
 * (an {@code afterFailure} edge from it) ended normally; else WARNING if a member ended with a
 * warning or a failure was recovered; else SUCCEEDED. The exit code is the highest of the
 * members' exit codes.
 */
public final class NetRun {

    private final NetRunId id;
    private final String net;
    private final String catalogVersion;
    private final Map<String, String> params;
    private final String requestedBy;
    private final RunSource source;
    private final @Nullable String idempotencyKey;
    private final @Nullable Parent parent;
    private final Instant createdAt;
    private final Map<String, MemberRun> members;
    private final List<NetTimelineEntry> timeline;
    private final List<NetTimelineEntry> pending = new ArrayList<>();
    private final int version;
    private NetRunStatus status;
    private @Nullable NetJudgment judgment;
    private @Nullable Integer exitCode;
    private @Nullable String reason;
    private int generation;
    private @Nullable Instant endedAt;

    /** The net run and member that started this one as a nested net, in which generation. */
    public record Parent(NetRunId id, String member, int generation) {}

    /** Everything stored of a net run, to restore it. */
    public record Stored(
            NetRunId id,
            String net,
            String catalogVersion,
            Map<String, String> params,
            String requestedBy,
            RunSource source,
            @Nullable String idempotencyKey,
            @Nullable Parent parent,
            Instant createdAt,
            NetRunStatus status,
            @Nullable NetJudgment judgment,
            @Nullable Integer exitCode,
            @Nullable String reason,
            int generation,
            @Nullable Instant endedAt,
            List<MemberRun> members,
            List<NetTimelineEntry> timeline,
            int version) {}

    private NetRun(Stored s) {
        this.id = s.id();
        this.net = s.net();
        this.catalogVersion = s.catalogVersion();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(s.params()));
        this.requestedBy = s.requestedBy();
        this.source = s.source();
        this.idempotencyKey = s.idempotencyKey();
        this.parent = s.parent();
        this.createdAt = s.createdAt();
        this.status = s.status();
        this.judgment = s.judgment();
        this.exitCode = s.exitCode();
        this.reason = s.reason();
        this.generation = s.generation();
        this.endedAt = s.endedAt();
        this.members = new LinkedHashMap<>();
        s.members().forEach(m -> members.put(m.name(), m));
        this.timeline = new ArrayList<>(s.timeline());
        this.version = s.version();
    }

    public static NetRun restore(Stored stored) {
        return new NetRun(stored);
    }

    /** A new net run, every member waiting; {@link #advance} then names the start members. */
    public static NetRun accept(
            NetRunId id,
            NetDefinition net,
            String catalogVersion,
            Map<String, String> params,
            String requestedBy,
            RunSource source,
            @Nullable String idempotencyKey,
            @Nullable Parent parent,
            Instant now) {
        List<MemberRun> members = net.members().values().stream()
                .map(m -> MemberRun.waiting(m.name(), m.kind(), 1))
                .toList();
        NetRun run = new NetRun(new Stored(
                id,
                net.name(),
                catalogVersion,
                params,
                requestedBy,
                source,
                idempotencyKey,
                parent,
                now,
                NetRunStatus.RUNNING,
                null,
                null,
                null,
                1,
                null,
                members,
                List.of(),
                0));
        run.note(now, "accepted from " + source + " by " + requestedBy + " (catalog " + catalogVersion + ")");
        return run;
    }

    /** A run of a {@code forbid} net that another active run blocked: ended at once, SKIPPED. */
    void skip(NetRunId blockedBy, Instant now) {
        members.replaceAll((name, m) -> m.ended(MemberState.SKIPPED, null, "the net run was skipped", now));
        end(NetJudgment.SKIPPED, "net does not allow overlapping runs; net run " + blockedBy + " is active", now);
    }

    /**
     * Decides what the members' ends allow: members whose edges all hold become STARTING (returned,
     * with those a crash left STARTING), members an edge of which can no longer hold are SKIPPED,
     * and with nothing left active the net ends with its judgment. Idempotent.
     */
    public List<String> advance(NetDefinition definition, Instant now) {
        if (status == NetRunStatus.ENDED) {
            return List.of();
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (MemberRun member : List.copyOf(members.values())) {
                if (member.state() != MemberState.WAITING) {
                    continue;
                }
                if (status == NetRunStatus.CANCELLING) {
                    members.put(member.name(), member.ended(MemberState.SKIPPED, null, "net run cancelled", now));
                    changed = true;
                    continue;
                }
                Decision decision = decide(definition.member(member.name()));
                if (decision == Decision.START) {
                    members.put(member.name(), member.starting(now));
                    note(now, member.name() + ": starting");
                    changed = true;
                } else if (decision == Decision.NEVER) {
                    members.put(
                            member.name(),
                            member.ended(MemberState.SKIPPED, null, "not executed: " + why(definition, member), now));
                    note(now, member.name() + ": not executed (" + why(definition, member) + ")");
                    changed = true;
                }
            }
        }
        boolean active = members.values().stream().anyMatch(m -> !m.state().isDecided());
        if (!active) {
            end(judge(definition), summary(), now);
            return List.of();
        }
        return members.values().stream()
                .filter(m -> m.state() == MemberState.STARTING)
                .map(MemberRun::name)
                .toList();
    }

    private enum Decision {
        START,
        WAIT,
        NEVER
    }

    private Decision decide(NetMember member) {
        boolean undecided = false;
        for (NetEdge edge : member.after()) {
            MemberState from = members.get(edge.from()).state();
            if (!from.isDecided()) {
                undecided = true;
            } else if (!holds(edge.when(), from)) {
                return Decision.NEVER;
            }
        }
        return undecided ? Decision.WAIT : Decision.START;
    }

    private static boolean holds(NetCondition when, MemberState from) {
        return switch (when) {
            case SUCCESS -> from.isNormalEnd();
            case WARNING -> from == MemberState.WARNING;
            case FAILURE -> from == MemberState.FAILED;
        };
    }

    private String why(NetDefinition definition, MemberRun member) {
        List<String> reasons = new ArrayList<>();
        for (NetEdge edge : definition.member(member.name()).after()) {
            MemberState from = members.get(edge.from()).state();
            if (from.isDecided() && !holds(edge.when(), from)) {
                reasons.add(edge.from() + " ended " + from + ", its edge waits for " + edge.when());
            }
        }
        return String.join("; ", reasons);
    }

    /** The member's run (or nested net run) was admitted: RUNNING. False if it was not STARTING any more. */
    public boolean memberStarted(String member, String runId, Instant now) {
        MemberRun current = member(member);
        if (current.state() != MemberState.STARTING) {
            return false;
        }
        members.put(member, current.running(runId));
        note(now, member + ": started " + (current.kind() == NetMember.Kind.NET ? "net run " : "run ") + runId);
        return true;
    }

    /** The member's run could not be admitted (refused): it failed without a run. */
    public boolean memberRefused(String member, String why, Instant now) {
        MemberRun current = member(member);
        if (current.state() != MemberState.STARTING) {
            return false;
        }
        members.put(member, current.ended(MemberState.FAILED, null, why, now));
        note(now, member + ": refused (" + why + ")");
        return true;
    }

    /** The member's run ended. Ignored (false) for a run that is not the member's current one. */
    public boolean memberEnded(String member, String runId, MemberEnd end, Instant now) {
        MemberRun current = member(member);
        if (current.state() != MemberState.RUNNING || !runId.equals(current.runId())) {
            return false;
        }
        members.put(member, current.ended(end.state(), end.exitCode(), end.reason(), now));
        note(
                now,
                member + ": " + end.state() + (end.exitCode() == null ? "" : " (exit code " + end.exitCode() + ")")
                        + " - " + end.reason());
        return true;
    }

    /**
     * Asks the net to stop: no member starts any more, and the caller cancels the active members'
     * runs. Returns the members that are active now. A net that ended already is left alone.
     */
    public List<MemberRun> cancel(String why, Instant now) {
        if (status == NetRunStatus.ENDED) {
            return List.of();
        }
        if (status == NetRunStatus.RUNNING) {
            status = NetRunStatus.CANCELLING;
            reason = why;
            note(now, "cancelling: " + why);
        }
        return members.values().stream()
                .filter(m -> m.state() == MemberState.RUNNING || m.state() == MemberState.STARTING)
                .toList();
    }

    /**
     * Rerun from failure: a new generation in which the members that failed, were cancelled or
     * were not executed — and everything downstream of them — wait again, while the members that
     * ended normally upstream keep their runs. Only an ended net that did not succeed is rerun.
     */
    public void rerun(NetDefinition definition, Instant now) {
        if (status != NetRunStatus.ENDED || judgment == NetJudgment.SUCCEEDED || judgment == NetJudgment.SKIPPED) {
            throw new IllegalNetRunTransitionException(
                    id, "only a net run that ended FAILED, CANCELLED or WARNING is rerun; this one is " + describe());
        }
        Set<String> reset = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        members.values().stream().filter(m -> !m.state().isNormalEnd()).forEach(m -> todo.add(m.name()));
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (reset.add(name)) {
                definition.successors(name).forEach(s -> todo.add(s.name()));
            }
        }
        if (reset.isEmpty()) {
            throw new IllegalNetRunTransitionException(id, "nothing to rerun: every member ended normally");
        }
        generation++;
        for (String name : reset) {
            MemberRun old = members.get(name);
            members.put(name, MemberRun.waiting(name, old.kind(), generation));
        }
        status = NetRunStatus.RUNNING;
        judgment = null;
        exitCode = null;
        endedAt = null;
        reason = null;
        List<String> kept = members.values().stream()
                .filter(m -> !reset.contains(m.name()))
                .map(MemberRun::name)
                .toList();
        note(
                now,
                "rerun from failure, generation " + generation + ": rerunning " + String.join(", ", sorted(reset))
                        + (kept.isEmpty() ? "" : "; keeping " + String.join(", ", kept)));
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private NetJudgment judge(NetDefinition definition) {
        if (status == NetRunStatus.CANCELLING) {
            return NetJudgment.CANCELLED;
        }
        boolean warning = false;
        for (MemberRun member : members.values()) {
            switch (member.state()) {
                case FAILED, CANCELLED -> {
                    boolean recovered = member.state() == MemberState.FAILED
                            && definition.successors(member.name()).stream()
                                    .filter(s -> s.after().contains(new NetEdge(member.name(), NetCondition.FAILURE)))
                                    .anyMatch(s -> members.get(s.name()).state().isNormalEnd());
                    if (!recovered) {
                        return NetJudgment.FAILED;
                    }
                    warning = true;
                }
                case WARNING -> warning = true;
                default -> {
                    // SUCCEEDED, SKIPPED: nothing to judge
                }
            }
        }
        return warning ? NetJudgment.WARNING : NetJudgment.SUCCEEDED;
    }

    private String summary() {
        Map<MemberState, Integer> counts = new LinkedHashMap<>();
        members.values().forEach(m -> counts.merge(m.state(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((state, count) -> parts.add(count + " " + state));
        return String.join(", ", parts);
    }

    private void end(NetJudgment verdict, String why, Instant now) {
        status = NetRunStatus.ENDED;
        judgment = verdict;
        exitCode = members.values().stream()
                .map(MemberRun::exitCode)
                .filter(Objects::nonNull)
                .max(Integer::compare)
                .orElse(null);
        if (reason == null || verdict != NetJudgment.CANCELLED) {
            reason = why;
        }
        endedAt = now;
        note(now, "ended " + verdict + (exitCode == null ? "" : " with exit code " + exitCode) + ": " + why);
    }

    private void note(Instant at, String text) {
        NetTimelineEntry entry = new NetTimelineEntry(at, text.length() > 1000 ? text.substring(0, 1000) : text);
        timeline.add(entry);
        pending.add(entry);
    }

    private String describe() {
        return status + (judgment == null ? "" : " " + judgment);
    }

    public MemberRun member(String name) {
        MemberRun member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("net run " + id + " has no member " + name);
        }
        return member;
    }

    public Optional<MemberRun> memberOfRun(String runId) {
        return members.values().stream().filter(m -> runId.equals(m.runId())).findFirst();
    }

    /** The idempotency key of the member's run in the current generation. */
    public String memberKey(String member) {
        return "net:" + id + "/" + member + "/" + member(member).generation();
    }

    public NetRunId id() {
        return id;
    }

    public String net() {
        return net;
    }

    public String catalogVersion() {
        return catalogVersion;
    }

    public Map<String, String> params() {
        return params;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public RunSource source() {
        return source;
    }

    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    public Optional<Parent> parent() {
        return Optional.ofNullable(parent);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public NetRunStatus status() {
        return status;
    }

    public Optional<NetJudgment> judgment() {
        return Optional.ofNullable(judgment);
    }

    public Optional<Integer> exitCode() {
        return Optional.ofNullable(exitCode);
    }

    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    public int generation() {
        return generation;
    }

    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    public List<MemberRun> members() {
        return List.copyOf(members.values());
    }

    public List<NetTimelineEntry> timeline() {
        return List.copyOf(timeline);
    }

    /** Whether anything changed since the run was loaded (every change writes the timeline). */
    List<NetTimelineEntry> takePendingPeek() {
        return List.copyOf(pending);
    }

    /** Timeline entries recorded since the run was loaded, for the store to append. */
    List<NetTimelineEntry> takePending() {
        List<NetTimelineEntry> taken = List.copyOf(pending);
        pending.clear();
        return taken;
    }

    public int version() {
        return version;
    }
}
