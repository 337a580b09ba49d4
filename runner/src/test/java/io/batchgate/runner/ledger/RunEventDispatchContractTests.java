package io.batchgate.runner.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.TaskHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run events reach their listeners only once the run's transaction is decided, on every database
 * batchgate supports: after-commit listeners see the committed state from a connection of their
 * own, a rollback tells no one, and a transaction run again after a lock conflict tells each event
 * once.
 */
abstract class RunEventDispatchContractTests {

    private final Random random = new Random(15);
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
    private DataSource dataSource;
    private DataSourceTransactionManager transactions;
    private TransactionTemplate tx;
    private final Heard afterCommit = new Heard(RunEventListener.Delivery.AFTER_COMMIT);
    private final Heard beforeCommit = new Heard(RunEventListener.Delivery.BEFORE_COMMIT);
    private RunLedger ledger;

    protected abstract String newDatabaseUrl();

    /** What a listener was told, with the run's status as a connection of its own saw it then. */
    private record Told(RunEvent event, String statusSeenElsewhere) {}

    private final class Heard implements RunEventListener {
        private final Delivery delivery;
        private final List<Told> told = new CopyOnWriteArrayList<>();

        Heard(Delivery delivery) {
            this.delivery = delivery;
        }

        @Override
        public Delivery delivery() {
            return delivery;
        }

        @Override
        public void on(RunEvent event) {
            told.add(new Told(event, statusInOwnConnection(event.runId())));
        }

        List<Class<?>> kinds() {
            return told.stream().<Class<?>>map(t -> t.event().getClass()).toList();
        }
    }

    @BeforeEach
    void migrate() {
        dataSource = io.batchgate.runner.testing.TestDatabases.migrated(newDatabaseUrl());
        transactions = new DataSourceTransactionManager(dataSource);
        tx = new TransactionTemplate(transactions);
        ledger = new RunLedger(
                JdbcClient.create(dataSource),
                JsonMapper.builder().build(),
                new RunEventDispatcher(List.of(afterCommit, beforeCommit)));
    }

    /** A new connection, not the transaction's: it sees only what is committed. */
    private String statusInOwnConnection(RunId id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT status FROM bg_run WHERE id = ?")) {
            select.setString(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private RunId accepted() {
        Run run =
                Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        tx.executeWithoutResult(s -> ledger.insert(run));
        afterCommit.told.clear();
        beforeCommit.told.clear();
        return run.id();
    }

    @Test
    void afterCommitListenersSeeTheCommittedStateFromAConnectionOfTheirOwn() {
        Run run =
                Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        tx.executeWithoutResult(s -> {
            ledger.insert(run);
            assertThat(afterCommit.told).as("nothing before the commit").isEmpty();
        });
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(run.id());
            claimed.claim("local", now.plusSeconds(1));
            ledger.update(claimed);
            Run started = ledger.get(run.id()); // a stored run is stored again only as loaded again
            started.started(new TaskHandle("local", "1@2"), now.plusSeconds(2));
            ledger.update(started);
            assertThat(afterCommit.told).as("nothing new before the commit").hasSize(1);
        });

        assertThat(afterCommit.kinds())
                .containsExactly(
                        RunEvent.RunAccepted.class, RunEvent.AttemptClaimed.class, RunEvent.AttemptStarted.class);
        assertThat(afterCommit.told.get(0).statusSeenElsewhere()).isEqualTo("QUEUED");
        // both saves of the second transaction are told once it committed, in order
        assertThat(afterCommit.told.get(1).statusSeenElsewhere()).isEqualTo("RUNNING");
        assertThat(afterCommit.told.get(2).statusSeenElsewhere()).isEqualTo("RUNNING");
        // before the commit, inside the transaction: another connection does not see it yet
        assertThat(beforeCommit.kinds()).isEqualTo(afterCommit.kinds());
        assertThat(beforeCommit.told.get(0).statusSeenElsewhere()).isEqualTo("(none)");
        assertThat(beforeCommit.told.get(1).statusSeenElsewhere()).isEqualTo("QUEUED");
    }

    @Test
    void aRolledBackTransactionTellsNoOne() {
        RunId id = accepted();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                    Run claimed = ledger.get(id);
                    claimed.claim("local", now.plusSeconds(1));
                    ledger.update(claimed);
                    throw new IllegalStateException("the launch failed after the claim was stored");
                }))
                .isInstanceOf(IllegalStateException.class);
        tx.executeWithoutResult(s -> {
            Run claimed = ledger.get(id);
            claimed.claim("local", now.plusSeconds(1));
            ledger.update(claimed);
            s.setRollbackOnly();
        });

        assertThat(ledger.get(id).status()).isEqualTo(RunStatus.QUEUED);
        assertThat(afterCommit.told).isEmpty();
        assertThat(beforeCommit.told).isEmpty();
    }

    @Test
    void aTransactionRunAgainAfterALockConflictTellsEachEventOnce() {
        RunId id = accepted();
        LockConflictRetryingTransactions retrying = new LockConflictRetryingTransactions(
                transactions, 3, Duration.ofMillis(1), Duration.ofMillis(5), new Random(1), new SimpleMeterRegistry());
        AtomicInteger tries = new AtomicInteger();
        retrying.executeWithoutResult(s -> {
            Run run = ledger.get(id); // as every caller does: the run is loaded again in each try
            run.claim("local", now.plusSeconds(1));
            ledger.update(run);
            Run started = ledger.get(id);
            started.started(new TaskHandle("local", "1@2"), now.plusSeconds(2));
            ledger.update(started);
            if (tries.incrementAndGet() == 1) {
                throw new CannotAcquireLockException("Deadlock found when trying to get lock (simulated)");
            }
        });

        assertThat(tries).hasValue(2);
        assertThat(afterCommit.kinds()).containsExactly(RunEvent.AttemptClaimed.class, RunEvent.AttemptStarted.class);
        assertThat(beforeCommit.kinds()).containsExactly(RunEvent.AttemptClaimed.class, RunEvent.AttemptStarted.class);
        assertThat(afterCommit.told)
                .allSatisfy(told -> assertThat(told.statusSeenElsewhere()).isEqualTo("RUNNING"));
        Run stored = ledger.get(id);
        assertThat(stored.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(stored.attempts()).hasSize(1);
    }

    @Test
    void withoutATransactionTheStoredEventsAreToldAtOnce() {
        Run run =
                Run.accept(RunId.next(now.toEpochMilli(), random), "hello", "v1", Map.of(), Set.of(), "ci", null, now);
        ledger.insert(run);

        assertThat(afterCommit.told).singleElement().satisfies(told -> {
            assertThat(told.event()).isInstanceOf(RunEvent.RunAccepted.class);
            assertThat(told.statusSeenElsewhere()).isEqualTo("QUEUED");
        });
        assertThat(run.events()).as("taken by the save").isEmpty();
    }
}
