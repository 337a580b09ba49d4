package io.batchgate.runner.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.batchgate.catalog.CatalogLoader;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionAudit;
import io.batchgate.runner.admission.OutboxWakeup;
import io.batchgate.runner.batch.JoiningJobRepository;
import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.LockConflictRetryingTransactions;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.ReadCommittedPools;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.batchgate.runner.runtime.local.LocalProcessRuntime;
import io.batchgate.runner.runtime.local.LocalRuntimeProperties;
import io.batchgate.runner.slots.JobSlots;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real admission path, wired by hand for tests that admit runs without HTTP or Spring: a pool
 * on a new migrated database of the selected kind (H2, or MariaDB in the second surefire
 * execution) with READ COMMITTED like the app, the ledger, the outbox, the catalog written to
 * {@code <dir>/catalog/jobs.yaml}, the canceller and {@link Admission}. The local runtime only
 * previews launches: admission never starts a task. Close it after each test.
 */
public final class AdmissionPath implements AutoCloseable {

    private final HikariDataSource pool;
    private final JdbcClient jdbc;
    private final RunLedger ledger;
    private final Outbox outbox;
    private final DataSourceTransactionManager transactions;
    private final LockConflictRetryingTransactions tx;
    private final CurrentCatalog catalog;
    private final RunCanceller canceller;
    private final Admission admission;

    private AdmissionPath(Path dir, String catalogYaml, Clock clock, OutboxWakeup wakeup, AdmissionAudit audit)
            throws Exception {
        String url = TestDatabases.newSelectedDatabase();
        TestDatabases.migrated(url);
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(url.startsWith("jdbc:mysql:") ? TestDatabases.MARIADB_USER : "sa");
        if (url.startsWith("jdbc:mysql:")) {
            pool.setPassword(TestDatabases.MARIADB_PASSWORD);
        }
        new ReadCommittedPools().postProcessBeforeInitialization(pool, "dataSource");
        jdbc = JdbcClient.create(pool);
        ledger = new RunLedger(jdbc, JsonMapper.builder().build());
        outbox = new Outbox(jdbc);
        transactions = new DataSourceTransactionManager(pool);
        tx = new LockConflictRetryingTransactions(
                transactions,
                8,
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                new Random(3),
                new SimpleMeterRegistry());
        Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(dir.resolve("catalog/jobs.yaml"), catalogYaml);
        catalog = new CurrentCatalog(dir.resolve("catalog"), new CatalogLoader());
        TaskRuntimes runtimes = new TaskRuntimes(
                List.of(new LocalProcessRuntime(
                        new AttemptDirectories(dir.resolve("data")),
                        new LocalRuntimeProperties(List.of("PATH"), 2, null),
                        (attempt, exit) -> {},
                        Runnable::run)),
                "local");
        canceller = new RunCanceller(
                ledger,
                outbox,
                catalog,
                runtimes,
                new SpringBatchAttemptRecorder(
                        JoiningJobRepository.create(pool, transactions, "BATCH_", Isolation.READ_COMMITTED),
                        tx,
                        pool,
                        "BATCH_"),
                tx,
                clock);
        admission = new Admission(
                catalog,
                runtimes,
                ledger,
                outbox,
                wakeup,
                new JobSlots(jdbc),
                new ExecutionKeys(jdbc),
                new WaiterLeases(jdbc),
                audit,
                canceller,
                tx,
                clock,
                new Random(11),
                Duration.ofDays(7));
    }

    /**
     * Opens the path on a new database, with the catalog {@code catalogYaml} in {@code
     * <dir>/catalog}; {@code wakeup} and {@code audit} see what admission wakes and audits.
     */
    public static AdmissionPath open(
            Path dir, String catalogYaml, Clock clock, OutboxWakeup wakeup, AdmissionAudit audit) throws Exception {
        return new AdmissionPath(dir, catalogYaml, clock, wakeup, audit);
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public RunLedger ledger() {
        return ledger;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The plain transaction manager, for a test's own {@code TransactionTemplate}. */
    public DataSourceTransactionManager transactions() {
        return transactions;
    }

    /** Transactions as the app runs them: READ COMMITTED, retried on lock conflicts. */
    public LockConflictRetryingTransactions tx() {
        return tx;
    }

    public CurrentCatalog catalog() {
        return catalog;
    }

    public RunCanceller canceller() {
        return canceller;
    }

    public Admission admission() {
        return admission;
    }

    @Override
    public void close() {
        pool.close();
    }
}
