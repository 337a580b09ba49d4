package io.batchgate.runner.startup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a start-up step (reach the database, resolve the queue) until it succeeds or the wait
 * limit has passed, with doubling pauses between tries, and logs each failed try with what it
 * waits for, when it tries next and when it gives up. Giving up throws {@link StartupGaveUp},
 * which fails the start-up with a message naming what was missing and the limit.
 */
public class StartupWait {

    private static final Logger log = LoggerFactory.getLogger(StartupWait.class);

    /** Pauses the calling thread; a test passes one that moves its clock instead. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final StartupProperties properties;
    private final Clock clock;
    private final Pause pause;

    public StartupWait(StartupProperties properties, Clock clock) {
        this(properties, clock, duration -> Thread.sleep(duration.toMillis()));
    }

    public StartupWait(StartupProperties properties, Clock clock, Pause pause) {
        this.properties = properties;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * Calls {@code step} until it returns, pausing between failed tries.
     *
     * @param what what start-up waits for, e.g. "the queue 'batchgate-runs' at http://sqs:9324"
     */
    public <T> T until(String what, Callable<T> step) {
        Instant giveUpAt = clock.instant().plus(properties.waitLimit());
        Duration backoff = properties.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = step.call();
                if (attempt > 1) {
                    log.info("{} answered (attempt {})", what, attempt);
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupGaveUp("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                Throwable cause = unwrap(e);
                Duration left = Duration.between(clock.instant(), giveUpAt);
                if (left.isNegative() || left.isZero()) {
                    throw new StartupGaveUp(
                            "gave up waiting for " + what + " after " + print(properties.waitLimit())
                                    + " (batchgate.startup.wait-limit), " + attempt + " attempts; last error: "
                                    + cause,
                            cause);
                }
                Duration next = backoff.compareTo(left) < 0 ? backoff : left;
                log.warn(
                        "waiting for {} (attempt {}, next try in {}, giving up at {}): {}",
                        what,
                        attempt,
                        print(next),
                        giveUpAt,
                        cause.toString());
                try {
                    pause.pause(next);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StartupGaveUp("interrupted while waiting for " + what, interrupted);
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : doubled;
                if (backoff.isZero()) {
                    backoff = properties.firstBackoff();
                }
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** "5m", "3s", "1500ms": the way the limit is written in the configuration. */
    static String print(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
