package io.batchgate.runner.control;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.loop.PeriodicLoop;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class ControlConfiguration {

    @Bean
    RunCanceller runCanceller(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            SpringBatchAttemptRecorder recorder,
            TransactionTemplate tx,
            Clock clock) {
        return new RunCanceller(ledger, outbox, catalog, runtimes, recorder, tx, clock);
    }

    /** Only a replica that runs tasks enforces their timeouts. */
    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    DeadlineSweeper deadlineSweeper(
            RunLedger ledger,
            Outbox outbox,
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            FullJitter retryJitter,
            TransactionTemplate tx,
            Clock clock) {
        return new DeadlineSweeper(ledger, outbox, catalog, runtimes, retryJitter, tx, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    PeriodicLoop deadlineLoop(
            DeadlineSweeper sweeper, @Value("${batchgate.runner.deadline-interval:1s}") Duration interval) {
        return new PeriodicLoop("deadline-sweeper", interval, sweeper::sweep);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    AbandonedRunSweeper abandonedRunSweeper(WaiterLeases leases, RunCanceller canceller, Clock clock) {
        return new AbandonedRunSweeper(leases, canceller, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
    PeriodicLoop abandonedRunLoop(
            AbandonedRunSweeper sweeper, @Value("${batchgate.runner.abandon-interval:5s}") Duration interval) {
        return new PeriodicLoop("abandoned-run-sweeper", interval, sweeper::sweep);
    }
}
