package io.batchgate.runner.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** The shared RunTask token bucket, over real SQL, on every supported database. */
abstract class LaunchBucketContractTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:00Z"));
    private DataSource dataSource;

    protected abstract String newDatabaseUrl();

    @BeforeEach
    void migrate() {
        dataSource = TestDatabases.migrated(newDatabaseUrl());
    }

    /** One bucket object per runner replica; all share the row. */
    private LaunchBucket replica() {
        return new LaunchBucket(
                "ecs:run-task",
                20,
                100,
                Duration.ofSeconds(60),
                JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                clock);
    }

    private static int takeAll(LaunchBucket bucket) {
        int taken = 0;
        while (bucket.tryTake().isZero()) {
            taken++;
        }
        return taken;
    }

    @Test
    void allowsTheBurstAtOnceThenTheRate() {
        LaunchBucket bucket = replica();
        assertThat(takeAll(bucket)).isEqualTo(100);
        assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(50));
        clock.advance(Duration.ofSeconds(1));
        assertThat(takeAll(bucket)).isEqualTo(20);
        clock.advance(Duration.ofMinutes(10));
        assertThat(takeAll(bucket)).isEqualTo(100);
    }

    /** Under load one transaction serves ten takes: before, every take was its own (3 statements, 1 commit). */
    @Test
    void takesUnderLoadDrawTenTokensPerTransaction() {
        AtomicInteger commits = new AtomicInteger();
        DataSourceTransactionManager counted = new DataSourceTransactionManager(dataSource) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                commits.incrementAndGet();
                super.doCommit(status);
            }
        };
        LaunchBucket bucket = new LaunchBucket(
                "ecs:run-task",
                20,
                100,
                Duration.ofSeconds(60),
                JdbcClient.create(dataSource),
                new TransactionTemplate(counted),
                clock);
        for (int i = 0; i < 20; i++) {
            assertThat(bucket.tryTake()).isZero();
        }
        assertThat(commits).as("transactions for 20 takes").hasValue(2);
    }

    @Test
    void heldTokensLapseAfterASecond() {
        LaunchBucket first = replica();
        assertThat(first.tryTake()).isZero(); // holds 9 more, for a second
        clock.advance(Duration.ofSeconds(1));
        // the row has 90 + 20, capped at the burst; the 9 held ones are gone
        assertThat(takeAll(first)).isEqualTo(100);
    }

    @Test
    void aThrottlingAnswerDropsTheHeldTokens() {
        LaunchBucket first = replica();
        takeAll(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(first.tryTake()).isZero(); // holds 9 more
        first.throttled();
        assertThat(first.tryTake()).isPositive();
    }

    @Test
    void replicasShareOneBudget() {
        LaunchBucket first = replica();
        LaunchBucket second = replica();
        int taken = 0;
        for (int i = 0; i < 80; i++) {
            taken += first.tryTake().isZero() ? 1 : 0;
            taken += second.tryTake().isZero() ? 1 : 0;
        }
        assertThat(taken).isEqualTo(100);
        clock.advance(Duration.ofMillis(500));
        assertThat(takeAll(first) + takeAll(second)).isEqualTo(10);
    }

    @Test
    void subMillisecondClockStepsNeverCreditMoreThanTheRate() {
        LaunchBucket bucket = replica();
        takeAll(bucket);
        clock.set(clock.instant().plusNanos(400_000));
        int taken = 0;
        for (int i = 0; i < 4000; i++) {
            clock.advance(Duration.ofNanos(250_000)); // 4,000 takes over one second
            taken += bucket.tryTake().isZero() ? 1 : 0;
        }
        assertThat(taken).isBetween(19, 20);
    }

    @Test
    void theRefusedCallsOfOneThrottlingEpisodeSlowTheRateOnce() {
        LaunchBucket bucket = replica();
        for (int i = 0; i < 5; i++) {
            bucket.throttled();
            clock.advance(Duration.ofMillis(3));
        }
        assertThat(bucket.rate()).isBetween(18.0, 18.1);
    }

    @Test
    void lastingThrottlingCompoundsAndTheRateRecoversOverTime() {
        LaunchBucket bucket = replica(); // recovery 60 s: +20/60 per second
        bucket.throttled();
        assertThat(bucket.rate()).isCloseTo(18.0, within(1e-9));
        assertThat(bucket.tryTake()).isEqualTo(Duration.ofNanos((long) Math.ceil(1e9 / 18.0)));
        double rate = 18.0;
        for (int episode = 0; episode < 5; episode++) {
            clock.advance(LaunchBucket.EPISODE);
            bucket.throttled();
            rate = Math.min(20, rate + 20 * 2 / 60.0) * 0.9;
        }
        assertThat(bucket.rate()).isCloseTo(rate, within(1e-9)).isLessThan(14.0);
        clock.advance(Duration.ofSeconds(30));
        assertThat(bucket.rate()).isCloseTo(Math.min(20, rate + 10), within(1e-9));
        clock.advance(Duration.ofSeconds(30));
        assertThat(bucket.rate()).isEqualTo(20.0);
    }
}
