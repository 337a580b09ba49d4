package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTests {

    private static final RetryRule EXIT_CODES =
            rule(List.of(ExitCodeRange.of(75), new ExitCodeRange(100, 110)), null, null, null, null);
    private static final RetryRule SPOT = rule(List.of(), "Spot*", null, null, null);
    private static final RetryRule ONE_CHAR = rule(List.of(), "Task?ailed", null, null, null);
    private static final RetryRule PULL = rule(List.of(), null, "*CannotPullContainerError*", null, null);
    private static final RetryRule METACHARACTERS = rule(List.of(), null, "exit (1). [x]+", null, null);
    private static final RetryRule TIMED_OUT = rule(List.of(), null, null, true, null);
    private static final RetryRule NOT_TIMED_OUT = rule(List.of(), null, null, false, null);
    private static final RetryRule LOST = rule(List.of(), null, null, null, true);
    private static final RetryRule NOT_LOST = rule(List.of(), null, null, null, false);
    private static final RetryRule SPOT_AND_137 =
            rule(List.of(ExitCodeRange.of(137)), "SpotInterruption", null, null, null);
    private static final RetryRule ANY = rule(List.of(), null, null, null, null);

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of("code in the list", EXIT_CODES, exited(75), true),
                Arguments.of("code at a range's start", EXIT_CODES, exited(100), true),
                Arguments.of("code inside a range", EXIT_CODES, exited(105), true),
                Arguments.of("code at a range's end", EXIT_CODES, exited(110), true),
                Arguments.of("code outside", EXIT_CODES, exited(111), false),
                Arguments.of("code just below", EXIT_CODES, exited(74), false),
                Arguments.of("exit codes never match a lost end", EXIT_CODES, lost("", ""), false),
                Arguments.of("stop code glob", SPOT, stopped(1, "SpotInterruption", ""), true),
                Arguments.of("stop code glob, * matches nothing", SPOT, stopped(1, "Spot", ""), true),
                Arguments.of("stop code glob is case-sensitive", SPOT, stopped(1, "spotInterruption", ""), false),
                Arguments.of("stop code glob matches the whole code", SPOT, stopped(1, "NotSpot", ""), false),
                Arguments.of("no stop code", SPOT, exited(1), false),
                Arguments.of("? is one character", ONE_CHAR, stopped(1, "TaskFailed", ""), true),
                Arguments.of("? is exactly one character", ONE_CHAR, stopped(1, "Taskailed", ""), false),
                Arguments.of(
                        "reason glob",
                        PULL,
                        lost("TaskFailedToStart", "CannotPullContainerError: pull access denied"),
                        true),
                Arguments.of(
                        "reason glob with text around",
                        PULL,
                        lost("", "ResourceInitializationError: CannotPullContainerError: timeout"),
                        true),
                Arguments.of("reason glob, other reason", PULL, lost("", "OutOfMemoryError: killed"), false),
                Arguments.of("metacharacters are literal", METACHARACTERS, stopped(1, "", "exit (1). [x]+"), true),
                Arguments.of(". is not any character", METACHARACTERS, stopped(1, "", "exit (1)X [x]+"), false),
                Arguments.of("+ is not a repetition", METACHARACTERS, stopped(1, "", "exit (1). [x]]"), false),
                Arguments.of("( is not a group", METACHARACTERS, stopped(1, "", "exit 1. [x]+"), false),
                Arguments.of("timed out", TIMED_OUT, timedOut(), true),
                Arguments.of("not timed out", TIMED_OUT, exited(1), false),
                Arguments.of("timedOut false", NOT_TIMED_OUT, exited(1), true),
                Arguments.of("timedOut false, timed out", NOT_TIMED_OUT, timedOut(), false),
                Arguments.of("lost", LOST, lost("", ""), true),
                Arguments.of("lost, not lost", LOST, exited(137), false),
                Arguments.of("lost false", NOT_LOST, exited(137), true),
                Arguments.of("lost false, lost", NOT_LOST, lost("", ""), false),
                Arguments.of("combined, both hold", SPOT_AND_137, stopped(137, "SpotInterruption", ""), true),
                Arguments.of("combined, code differs", SPOT_AND_137, stopped(143, "SpotInterruption", ""), false),
                Arguments.of("combined, stop code differs", SPOT_AND_137, stopped(137, "UserInitiated", ""), false),
                Arguments.of("catch-all, exit", ANY, exited(1), true),
                Arguments.of("catch-all, lost", ANY, lost("", ""), true),
                Arguments.of("catch-all, timed out", ANY, timedOut(), true));
    }

    private static final RetryRule START_TIMED_OUT = new RetryRule(
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(true),
            Optional.empty(),
            RetryAction.RETRY,
            1);

    static AttemptEnd startTimedOut() {
        return new AttemptEnd(OptionalInt.empty(), "UserInitiated", "batchgate: start timeout", false, true);
    }

    @Test
    void startTimedOutMatchesOnlyAStartTimeout() {
        assertThat(START_TIMED_OUT.matches(startTimedOut())).isTrue();
        assertThat(START_TIMED_OUT.matches(timedOut())).isFalse();
        assertThat(START_TIMED_OUT.matches(lost("TaskFailedToStart", "x"))).isFalse();
        assertThat(START_TIMED_OUT.matches(exited(1))).isFalse();
        assertThat(START_TIMED_OUT.describe()).isEqualTo("rule at line 1 (startTimedOut true → RETRY)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesRules(String name, RetryRule rule, AttemptEnd end, boolean matches) {
        assertThat(rule.matches(end)).isEqualTo(matches);
    }

    @Test
    void firstMatchingRuleDecides() {
        RetryRule failOn137 = rule(List.of(ExitCodeRange.of(137)), null, null, null, null, RetryAction.FAIL, 3);
        RetryRule retryAll = rule(List.of(), null, null, null, null, RetryAction.RETRY, 5);
        RetryPolicy policy = new RetryPolicy(3, Backoff.defaults(), List.of(failOn137, retryAll));

        assertThat(policy.decide(exited(137), 1)).isEqualTo(RetryAction.FAIL);
        assertThat(policy.matching(exited(137))).contains(failOn137);
        assertThat(policy.decide(exited(1), 1)).isEqualTo(RetryAction.RETRY);
        assertThat(policy.matching(exited(1))).contains(retryAll);
    }

    @Test
    void noMatchingRuleFails() {
        RetryPolicy policy = new RetryPolicy(3, Backoff.defaults(), List.of(EXIT_CODES));

        assertThat(policy.matching(exited(1))).isEmpty();
        assertThat(policy.decide(exited(1), 1)).isEqualTo(RetryAction.FAIL);
        assertThat(policy.decide(exited(75), 1)).isEqualTo(RetryAction.RETRY);
    }

    @Test
    void failsOnceMaxAttemptsIsReachedEvenIfARuleSaysRetry() {
        RetryPolicy policy = new RetryPolicy(3, Backoff.defaults(), List.of(ANY));

        assertThat(policy.decide(exited(1), 1)).isEqualTo(RetryAction.RETRY);
        assertThat(policy.decide(exited(1), 2)).isEqualTo(RetryAction.RETRY);
        assertThat(policy.decide(exited(1), 3)).isEqualTo(RetryAction.FAIL);
        assertThat(policy.decide(exited(1), 4)).isEqualTo(RetryAction.FAIL);
        assertThat(policy.matching(exited(1))).contains(ANY);
    }

    @Test
    void noneNeverRetries() {
        RetryPolicy none = RetryPolicy.none();

        assertThat(none.maxAttempts()).isEqualTo(1);
        assertThat(none.backoff()).isEqualTo(Backoff.defaults());
        assertThat(none.rules()).isEmpty();
        assertThat(none.decide(lost("", ""), 1)).isEqualTo(RetryAction.FAIL);
        assertThat(new RetryPolicy(1, Backoff.defaults(), List.of(ANY)).decide(exited(1), 1))
                .isEqualTo(RetryAction.FAIL);
    }

    @Test
    void backoffCeilingDoublesUpToMax() {
        Backoff backoff = Backoff.defaults();

        assertThat(IntStream.rangeClosed(1, 7).mapToObj(backoff::ceiling))
                .containsExactly(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(240),
                        Duration.ofSeconds(480),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(10));
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void backoffCeilingWithMultiplierOneIsConstant() {
        Backoff constant = new Backoff(Duration.ofSeconds(5), 1.0, Duration.ofMinutes(1));

        assertThat(IntStream.rangeClosed(1, 5).mapToObj(constant::ceiling)).containsOnly(Duration.ofSeconds(5));
    }

    @Test
    void backoffCeilingWithAFractionalMultiplier() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), 1.5, Duration.ofSeconds(1));

        assertThat(IntStream.rangeClosed(1, 6).mapToObj(backoff::ceiling))
                .containsExactly(
                        Duration.ofMillis(200),
                        Duration.ofMillis(300),
                        Duration.ofMillis(450),
                        Duration.ofMillis(675),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1));
    }

    @Test
    void refusesInvalidValues() {
        assertThatThrownBy(() -> new RetryPolicy(0, Backoff.defaults(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(11, Backoff.defaults(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(30), 0.5, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), 2.0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.defaults().ceiling(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExitCodeRange(110, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExitCodeRange(0, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConcurrencyPolicy(Overlap.FORBID, 100, Optional.of(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timeouts(Optional.empty(), Optional.empty(), Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesRulesWithTheirLine() {
        assertThat(rule(
                                List.of(ExitCodeRange.of(75), new ExitCodeRange(100, 110)),
                                null,
                                null,
                                null,
                                null,
                                RetryAction.RETRY,
                                14)
                        .describe())
                .isEqualTo("rule at line 14 (exitCodes 75, 100-110 → RETRY)");
        assertThat(rule(List.of(), "Spot*", "*pull*", true, false, RetryAction.FAIL, 20)
                        .describe())
                .isEqualTo("rule at line 20 (stopCode 'Spot*'; stopReason '*pull*'; timedOut true; lost false → FAIL)");
        assertThat(rule(List.of(), null, null, null, null, RetryAction.RETRY, 0).describe())
                .isEqualTo("rule (any end → RETRY)");
    }

    @ParameterizedTest
    @CsvSource({"ALLOW, ", "FORBID, 1", "REPLACE, 1", "QUEUE, 1"})
    void slotsWithoutMaxConcurrent(Overlap overlap, Integer slots) {
        OptionalInt expected = slots == null ? OptionalInt.empty() : OptionalInt.of(slots);

        assertThat(new ConcurrencyPolicy(overlap, 100, Optional.empty()).slots())
                .isEqualTo(expected);
    }

    @Test
    void slotsAreMaxConcurrentWhenSet() {
        assertThat(new ConcurrencyPolicy(Overlap.ALLOW, 100, Optional.of(4)).slots())
                .hasValue(4);
        assertThat(new ConcurrencyPolicy(Overlap.QUEUE, 5, Optional.of(2)).slots())
                .hasValue(2);
        assertThat(new ConcurrencyPolicy(Overlap.FORBID, 100, Optional.of(1)).slots())
                .hasValue(1);
        assertThat(ConcurrencyPolicy.defaults()).isEqualTo(new ConcurrencyPolicy(Overlap.ALLOW, 100, Optional.empty()));
    }

    static AttemptEnd exited(int code) {
        return new AttemptEnd(OptionalInt.of(code), "", "", false);
    }

    static AttemptEnd stopped(int code, String stopCode, String stopReason) {
        return new AttemptEnd(OptionalInt.of(code), stopCode, stopReason, false);
    }

    static AttemptEnd lost(String stopCode, String stopReason) {
        return new AttemptEnd(OptionalInt.empty(), stopCode, stopReason, false);
    }

    static AttemptEnd timedOut() {
        return new AttemptEnd(OptionalInt.of(143), "", "", true);
    }

    private static RetryRule rule(
            List<ExitCodeRange> codes, String stopCode, String stopReason, Boolean timedOut, Boolean lost) {
        return rule(codes, stopCode, stopReason, timedOut, lost, RetryAction.RETRY, 1);
    }

    private static RetryRule rule(
            List<ExitCodeRange> codes,
            String stopCode,
            String stopReason,
            Boolean timedOut,
            Boolean lost,
            RetryAction action,
            int line) {
        return new RetryRule(
                codes,
                Optional.ofNullable(stopCode),
                Optional.ofNullable(stopReason),
                Optional.ofNullable(timedOut),
                Optional.ofNullable(lost),
                action,
                line);
    }
}
