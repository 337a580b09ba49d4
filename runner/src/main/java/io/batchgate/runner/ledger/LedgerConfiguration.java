package io.batchgate.runner.ledger;

import io.batchgate.runner.run.RunEventListener;
import io.batchgate.runner.secrets.SecretSeal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/** The run ledger and the outbox, on the application's one DataSource. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class LedgerConfiguration {

    /** Static: a post-processor must exist before the DataSource it tunes. */
    @Bean
    static MySqlDriverTuning mySqlDriverTuning() {
        return new MySqlDriverTuning();
    }

    @Bean
    static ManualCommitPools manualCommitPools() {
        return new ManualCommitPools();
    }

    @Bean
    static ReadCommittedPools readCommittedPools() {
        return new ReadCommittedPools();
    }

    /** Replaces Boot's plain TransactionTemplate: every component's transactions retry lock conflicts. */
    @Bean
    LockConflictRetryingTransactions transactionTemplate(
            PlatformTransactionManager transactionManager,
            DatabaseProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        return new LockConflictRetryingTransactions(
                transactionManager,
                properties.lockConflictTries(),
                properties.lockConflictFirstWait(),
                properties.lockConflictMaxWait(),
                RandomGenerator.getDefault(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    RunLedger runLedger(JdbcClient jdbc, JsonMapper json, ObjectProvider<RunEventListener> listeners, SecretSeal seal) {
        return new RunLedger(
                jdbc, json, new RunEventDispatcher(listeners.orderedStream().toList()), seal);
    }

    @Bean
    Outbox outbox(JdbcClient jdbc) {
        return new Outbox(jdbc);
    }

    @Bean
    WaiterLeases waiterLeases(JdbcClient jdbc) {
        return new WaiterLeases(jdbc);
    }

    @Bean
    ExecutionKeys executionKeys(JdbcClient jdbc) {
        return new ExecutionKeys(jdbc);
    }
}
