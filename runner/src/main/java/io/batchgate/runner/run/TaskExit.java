package io.batchgate.runner.run;

import java.util.OptionalInt;

/**
 * What a runtime learned about an ended task: its exit code if it produced one, and why it
 * stopped. An exit without a code is never a success.
 */
public record TaskExit(OptionalInt exitCode, String reason) {

    public TaskExit {
        exitCode.ifPresent(code -> {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("exit code must be 0..255, was " + code);
            }
        });
        reason = reason == null ? "" : reason;
    }

    public static TaskExit code(int exitCode) {
        return new TaskExit(OptionalInt.of(exitCode), "exited with code " + exitCode);
    }

    public static TaskExit withoutCode(String reason) {
        return new TaskExit(OptionalInt.empty(), reason);
    }
}
