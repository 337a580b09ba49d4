package io.batchgate.runner.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StartupWaitTests {

    private final MutableClock clock = MutableClock.fixed();
    private final List<Duration> pauses = new ArrayList<>();

    private StartupWait wait(String limit, String first, String max) {
        return new StartupWait(
                new StartupProperties(Duration.parse(limit), Duration.parse(first), Duration.parse(max)),
                clock,
                pause -> {
                    pauses.add(pause);
                    clock.advance(pause);
                });
    }

    @Test
    void triesAgainWithDoublingPausesUntilTheStepAnswers() {
        AtomicInteger tries = new AtomicInteger();
        String answer = wait("PT5M", "PT1S", "PT30S").until("the queue", () -> {
            if (tries.incrementAndGet() < 4) {
                // the way the SDK reports it: wrapped in a CompletionException
                return CompletableFuture.<String>failedFuture(new ConnectException("refused"))
                        .join();
            }
            return "up";
        });
        assertThat(answer).isEqualTo("up");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void pausesNeverExceedTheMaximumNorPassTheLimit() {
        assertThatThrownBy(() -> wait("PT2M", "PT1S", "PT30S").until("the database at jdbc:mysql://db:3306/x", () -> {
                    throw new ConnectException("refused");
                }))
                .isInstanceOf(StartupGaveUp.class)
                .hasMessageContaining("gave up waiting for the database at jdbc:mysql://db:3306/x after 2m"
                        + " (batchgate.startup.wait-limit), 9 attempts; last error: java.net.ConnectException: refused")
                .hasCauseInstanceOf(ConnectException.class);
        // 1+2+4+8+16+30+30+29 = 120: the last pause ends exactly at the limit
        assertThat(pauses)
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(29));
    }

    @Test
    void aZeroLimitTriesOnce() {
        assertThatThrownBy(() -> wait("PT0S", "PT1S", "PT30S").until("the queue", () -> {
                    throw new IllegalStateException("down");
                }))
                .isInstanceOf(StartupGaveUp.class)
                .hasMessageContaining("after 0s")
                .hasMessageContaining("1 attempts");
        assertThat(pauses).isEmpty();
    }

    @Test
    void printsDurationsTheWayTheyAreConfigured() {
        assertThat(StartupWait.print(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(StartupWait.print(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(StartupWait.print(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
