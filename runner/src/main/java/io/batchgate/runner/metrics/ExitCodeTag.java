package io.batchgate.runner.metrics;

/**
 * The value of the {@code code} tag of {@code batchgate.attempts.exits}: the exit code itself for
 * the codes that mean something to a shell or a scheduler, {@value #OTHER} for the rest, so a job
 * has at most 83 exit-code series whatever it returns. Kept as they are: 0–31 (a program's own
 * small codes), 64–78 (sysexits.h, 75 = EX_TEMPFAIL is the usual "retry me"), 126 and 127 (not
 * executable, not found), 128–159 (killed by signal 1–31: 137 = SIGKILL, 143 = SIGTERM) and 255.
 */
final class ExitCodeTag {

    static final String OTHER = "other";

    private ExitCodeTag() {}

    static String of(int code) {
        boolean kept =
                (code >= 0 && code <= 31) || (code >= 64 && code <= 78) || (code >= 126 && code <= 159) || code == 255;
        return kept ? Integer.toString(code) : OTHER;
    }
}
