package io.batchgate.runner.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A token bucket kept in one database row, so every runner replica draws from the same budget:
 * ECS's RunTask quota is per account and Region, not per process. Each take is one short
 * transaction holding the row lock. When the service throttles anyway, the rate drops by 10% —
 * once per throttling episode, not once per refused call in flight, so a lone refusal caused by
 * arrival jitter costs little while lasting throttling compounds (×0.9 every 2 s) — and climbs
 * back linearly to the configured rate over {@code recovery}. All arithmetic is in whole milliseconds, the precision
 * the row stores: a finer "now" would credit the same sub-millisecond again on every take.
 *
 * <p>A take draws up to {@link #MAX_RESERVE} tokens from the row at once and keeps the rest in this
 * replica, so under load one transaction (three statements, one commit) serves several launches.
 * Held tokens come out of the shared budget like any other: over any window the replicas together
 * make at most the bucket's own bound plus what each held when it began (fewer than
 * {@code MAX_RESERVE}, and at most a tenth of the burst). They lapse after {@link #HOLD}, so a
 * replica without launches does not sit on them; a throttling answer drops them.
 */
public class LaunchBucket {

    private final String name;
    private final double maxRate;
    private final int burst;
    private final Duration recovery;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final int reserveSize;
    /** Tokens drawn from the row and not yet used; guarded by {@code this}. */
    private int held;
    /** When the held tokens lapse (epoch millis); guarded by {@code this}. */
    private long heldUntilMs;

    public LaunchBucket(
            String name,
            double maxRate,
            int burst,
            Duration recovery,
            JdbcClient jdbc,
            TransactionTemplate tx,
            Clock clock) {
        this.name = name;
        this.maxRate = maxRate;
        this.burst = burst;
        this.recovery = recovery;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.reserveSize = Math.max(1, Math.min(MAX_RESERVE, burst / 10));
    }

    /** The most tokens one take draws from the row. */
    static final int MAX_RESERVE = 10;

    /** How long a replica keeps the tokens it drew and has not used. */
    static final Duration HOLD = Duration.ofSeconds(1);

    /** Takes a token if one is there; otherwise says how long until one will be. */
    public Duration tryTake() {
        if (takeHeld()) {
            return Duration.ZERO;
        }
        return tx.execute(status -> {
            State state = refilled(lock());
            if (state.tokens() >= 1) {
                int drawn = (int) Math.min(reserveSize, Math.floor(state.tokens()));
                store(new State(state.tokens() - drawn, state.rate(), state.at()));
                if (drawn > 1) {
                    hold(drawn - 1);
                }
                return Duration.ZERO;
            }
            store(state);
            return Duration.ofNanos((long) Math.ceil((1 - state.tokens()) * 1e9 / state.rate()));
        });
    }

    /**
     * Waits for a token up to {@code maxWait}; false if none came in time. The wait is real time:
     * this is admission control in front of a remote quota.
     */
    public boolean take(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Duration wait = tryTake();
            if (wait.isZero()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left / 1_000_000)));
        }
    }

    private synchronized boolean takeHeld() {
        if (held > 0 && clock.millis() < heldUntilMs) {
            held--;
            return true;
        }
        held = 0;
        return false;
    }

    /**
     * Keeps tokens drawn from the row for {@link #HOLD} (after the row's transaction commits: a
     * rolled-back draw holds nothing).
     */
    private void hold(int tokens) {
        long until = clock.millis() + HOLD.toMillis();
        Runnable keep = () -> {
            synchronized (this) {
                held += tokens;
                heldUntilMs = Math.max(heldUntilMs, until);
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    keep.run();
                }
            });
        } else {
            keep.run();
        }
    }

    /** Refused calls within this time of the first belong to the same throttling episode. */
    static final Duration EPISODE = Duration.ofSeconds(2);

    /** The rate after a throttling episode, as a share of the rate before it. */
    static final double DECREASE = 0.9;

    /** The service answered with throttling although we kept to the rate: slow down, once per episode. */
    public void throttled() {
        synchronized (this) {
            held = 0;
        }
        tx.executeWithoutResult(status -> {
            State state = refilled(lock());
            long now = state.at().toEpochMilli();
            long last = jdbc.sql("SELECT throttled_at_ms FROM bg_launch_bucket WHERE name = :name")
                    .param("name", name)
                    .query(Long.class)
                    .single();
            boolean newEpisode = now - last >= EPISODE.toMillis();
            store(new State(
                    0, newEpisode ? Math.max(maxRate / 20, state.rate() * DECREASE) : state.rate(), state.at()));
            if (newEpisode) {
                jdbc.sql("UPDATE bg_launch_bucket SET throttled_at_ms = :now WHERE name = :name")
                        .param("now", now)
                        .param("name", name)
                        .update();
            }
        });
    }

    /** The current refill rate, per second. */
    public double rate() {
        return tx.execute(status -> refilled(lock()).rate());
    }

    private State lock() {
        for (int tries = 0; tries < 2; tries++) {
            var rows = jdbc.sql(
                            "SELECT tokens, rate, refilled_at_ms FROM bg_launch_bucket WHERE name = :name FOR UPDATE")
                    .param("name", name)
                    .query((rs, n) -> new State(
                            rs.getDouble("tokens"),
                            rs.getDouble("rate"),
                            Instant.ofEpochMilli(rs.getLong("refilled_at_ms"))))
                    .list();
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            try {
                jdbc.sql(
                                "INSERT INTO bg_launch_bucket (name, tokens, rate, refilled_at_ms) VALUES (:name, :tokens, :rate,"
                                        + " :at)")
                        .params(Map.of("name", name, "tokens", (double) burst, "rate", maxRate, "at", clock.millis()))
                        .update();
            } catch (DuplicateKeyException raced) {
                // another replica created it first; lock theirs
            }
        }
        throw new IllegalStateException("launch bucket '" + name + "' could not be created");
    }

    private State refilled(State state) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        double seconds = Math.max(0, Duration.between(state.at(), now).toNanos() / 1e9);
        double rate = Math.min(maxRate, state.rate() + maxRate * seconds / Math.max(1, recovery.toSeconds()));
        double tokens = Math.min(burst, state.tokens() + seconds * state.rate());
        return new State(tokens, rate, now.isAfter(state.at()) ? now : state.at());
    }

    private void store(State state) {
        jdbc.sql("UPDATE bg_launch_bucket SET tokens = :tokens, rate = :rate, refilled_at_ms = :at WHERE name = :name")
                .param("tokens", state.tokens())
                .param("rate", state.rate())
                .param("at", state.at().toEpochMilli())
                .param("name", name)
                .update();
    }

    private record State(double tokens, double rate, Instant at) {}
}
