package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.Backoff.Jitter;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one backoff: growth, cap, no overflow, and each jitter mode's bounds drawn from a seeded random source. */
class BackoffTests {

    private static List<Duration> ceilings(Backoff backoff, int upTo) {
        return IntStream.rangeClosed(1, upTo).mapToObj(backoff::ceiling).toList();
    }

    @Test
    void doublingGrowsFromInitialAndStopsAtMax() {
        // the outbox relay's waits after consecutive failed sends
        Backoff relay = Backoff.doubling(Duration.ofMillis(250), Duration.ofSeconds(30), Jitter.NONE);

        assertThat(IntStream.rangeClosed(1, 9).mapToObj(relay::delay))
                .containsExactly(
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
    }

    @Test
    void largeTryNumbersGiveMaxNotAnOverflow() {
        for (Backoff backoff : List.of(
                Backoff.doubling(Duration.ofNanos(1), Duration.ofDays(365), Jitter.NONE),
                new Backoff(Duration.ofSeconds(1), 10.0, Duration.ofDays(365), Jitter.NONE),
                Backoff.defaults())) {
            for (int n : new int[] {64, 1_000, 10_000, Integer.MAX_VALUE}) {
                assertThat(backoff.ceiling(n)).as("%s at n=%d", backoff, n).isEqualTo(backoff.max());
            }
        }
        assertThat(Backoff.doubling(Duration.ofNanos(1), Duration.ofDays(365), Jitter.NONE)
                        .ceiling(51))
                .isEqualTo(Duration.ofNanos(1L << 50));
    }

    @Test
    void aZeroInitialWaitsNothing() {
        Backoff none = Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1), Jitter.FULL);

        assertThat(IntStream.of(1, 2, 50, Integer.MAX_VALUE).mapToObj(n -> none.delay(n, new Random(1))))
                .containsOnly(Duration.ZERO);
    }

    @Test
    void fullJitterDrawsFromZeroToTheCeilingBothIncluded() {
        // lock-conflict retries: 20 ms doubling up to 500 ms
        Backoff backoff = Backoff.doubling(Duration.ofMillis(20), Duration.ofMillis(500), Jitter.FULL);
        Random random = new Random(42);
        for (int n = 1; n <= 7; n++) {
            long ceiling = backoff.ceiling(n).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long nanos = backoff.delay(n, random).toNanos();
                assertThat(nanos).isBetween(0L, ceiling);
                min = Math.min(min, nanos);
                max = Math.max(max, nanos);
            }
            assertThat(min).isLessThan(ceiling / 20);
            assertThat(max).isGreaterThan(ceiling * 19 / 20);
        }
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(320));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void fullJitterReachesBothEndsOfATinyCeiling() {
        Backoff tiny = Backoff.doubling(Duration.ofNanos(1), Duration.ofNanos(1), Jitter.FULL);
        Random random = new Random(3);

        assertThat(IntStream.range(0, 200).mapToObj(i -> tiny.delay(1, random)).distinct())
                .containsExactlyInAnyOrder(Duration.ZERO, Duration.ofNanos(1));
    }

    @Test
    void equalJitterKeepsHalfTheCeilingAndDrawsTheOtherHalf() {
        // refused launches: 2 s doubling up to 60 s
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(60), Jitter.EQUAL);
        Random random = new Random(11);
        for (int n = 1; n <= 8; n++) {
            long ceiling = backoff.ceiling(n).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long nanos = backoff.delay(n, random).toNanos();
                assertThat(nanos).isBetween(ceiling / 2, ceiling);
                min = Math.min(min, nanos);
                max = Math.max(max, nanos);
            }
            assertThat(min).isLessThan(ceiling / 2 + ceiling / 40);
            assertThat(max).isGreaterThan(ceiling - ceiling / 40);
        }
        assertThat(ceilings(backoff, 7))
                .containsExactly(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(32),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(60));
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        Backoff backoff = Backoff.defaults();

        SplittableRandom one = new SplittableRandom(5);
        SplittableRandom other = new SplittableRandom(5);
        List<Duration> first = IntStream.rangeClosed(1, 10)
                .mapToObj(n -> backoff.delay(n, one))
                .toList();
        List<Duration> again = IntStream.rangeClosed(1, 10)
                .mapToObj(n -> backoff.delay(n, other))
                .toList();

        assertThat(first).isEqualTo(again).doesNotHaveDuplicates();
    }

    @Test
    void withoutJitterTheWaitIsTheCeilingAndNoRandomIsDrawn() {
        Backoff backoff = Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(5), Jitter.NONE);
        Random random = new Random(9);
        long next = new Random(9).nextLong();

        assertThat(backoff.delay(4, random)).isEqualTo(Duration.ofSeconds(16)).isEqualTo(backoff.delay(4));
        assertThat(random.nextLong()).isEqualTo(next);
    }

    @Test
    void aJitteredBackoffNeedsARandomSource() {
        assertThatThrownBy(() -> Backoff.defaults().delay(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FULL");
    }

    @Test
    void refusesInvalidValues() {
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofMillis(-1), Duration.ofSeconds(1), Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1), Jitter.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Backoff.defaults().delay(0, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCatalogsBackoffHasFullJitter() {
        assertThat(Backoff.defaults().jitter()).isEqualTo(Jitter.FULL);
        assertThat(new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5)).jitter())
                .isEqualTo(Jitter.FULL);
    }
}
