package io.batchgate.runner.net;

import io.batchgate.catalog.NetMember;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One member of a net run as it stands: its state in the current generation, the run (or nested
 * net run) it started, and how that ended. Changed only through {@link NetRun}.
 *
 * @param generation the net run's generation this state belongs to; a member kept by a rerun keeps
 *     the generation (and run) it succeeded in
 * @param runId the run, or for a nested net the net run, this member started
 */
public record MemberRun(
        String name,
        NetMember.Kind kind,
        MemberState state,
        int generation,
        @Nullable String runId,
        @Nullable Integer exitCode,
        @Nullable String reason,
        @Nullable Instant startedAt,
        @Nullable Instant endedAt) {

    static MemberRun waiting(String name, NetMember.Kind kind, int generation) {
        return new MemberRun(name, kind, MemberState.WAITING, generation, null, null, null, null, null);
    }

    MemberRun starting(Instant now) {
        return new MemberRun(name, kind, MemberState.STARTING, generation, null, null, null, now, null);
    }

    MemberRun running(String run) {
        return new MemberRun(name, kind, MemberState.RUNNING, generation, run, null, null, startedAt, null);
    }

    MemberRun ended(MemberState end, @Nullable Integer code, String why, Instant now) {
        return new MemberRun(name, kind, end, generation, runId, code, why, startedAt, now);
    }
}
