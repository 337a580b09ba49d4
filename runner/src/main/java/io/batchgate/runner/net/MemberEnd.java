package io.batchgate.runner.net;

import org.jspecify.annotations.Nullable;

/** How the run (or nested net run) of a member ended, as the net judges it. */
public record MemberEnd(MemberState state, @Nullable Integer exitCode, String reason) {

    public MemberEnd {
        if (!state.isDecided() || state == MemberState.SKIPPED) {
            throw new IllegalArgumentException("not an end of a member's run: " + state);
        }
    }
}
