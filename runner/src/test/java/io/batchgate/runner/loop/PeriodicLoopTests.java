package io.batchgate.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.runner.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Background loops: a failing pass is an error and the loop goes on; a pass cut short by stop() is not. */
class PeriodicLoopTests {

    private final Logger logger = (Logger) LoggerFactory.getLogger(PeriodicLoop.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.list = new java.util.concurrent.CopyOnWriteArrayList<>(); // appended to by other threads
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    @Test
    void aFailingPassIsLoggedAsAnErrorAndTheNextPassRuns() {
        AtomicInteger passes = new AtomicInteger();
        PeriodicLoop loop = new PeriodicLoop("failing", Duration.ofMillis(10), () -> {
            passes.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> passes.get() >= 2);
        } finally {
            loop.stop();
        }
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).isEqualTo("failing failed; the next pass tries again");
        });
    }

    /**
     * A shutdown stops the loop while its pass waits for a database connection (the pool is
     * exhausted here): HikariCP answers the interrupt with "Interrupted during connection
     * acquisition", which must not be reported as a failure.
     */
    @Test
    void aPassInterruptedByStopIsNotAnError() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.newH2Database());
        config.setUsername("sa");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(60_000);
        try (HikariDataSource pool = new HikariDataSource(config);
                Connection held = pool.getConnection()) {
            JdbcClient jdbc = JdbcClient.create(pool);
            PeriodicLoop loop = new PeriodicLoop("deadline-sweeper", Duration.ofMillis(10), () -> {
                jdbc.sql("SELECT 1").query(Integer.class).single(); // blocks: the one connection is held
            });
            loop.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 1);
            } finally {
                loop.stop();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> logged.list.stream()
                    .anyMatch(event -> event.getFormattedMessage().startsWith("deadline-sweeper")));
            assertThat(held.isValid(1)).isTrue();
        }
        assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.ERROR);
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).startsWith("deadline-sweeper stopped during a pass");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }
}
