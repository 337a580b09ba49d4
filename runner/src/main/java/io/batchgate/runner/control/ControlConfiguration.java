package io.batchgate.runner.control;

import io.batchgate.runner.batch.SpringBatchAttemptRecorder;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.instance.RunnerProperties;
import io.batchgate.runner.launch.FullJitter;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.loop.PeriodicLoop;
import java.time.Clock;
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
    @ConditionalOnRunner
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
    @ConditionalOnRunner
    PeriodicLoop deadlineLoop(DeadlineSweeper sweeper, RunnerProperties properties) {
        return new PeriodicLoop("deadline-sweeper", properties.deadlineInterval(), sweeper::sweep);
    }

    @Bean
    @ConditionalOnRunner
    AbandonedRunSweeper abandonedRunSweeper(WaiterLeases leases, RunCanceller canceller, Clock clock) {
        return new AbandonedRunSweeper(leases, canceller, clock);
    }

    @Bean
    @ConditionalOnRunner
    PeriodicLoop abandonedRunLoop(AbandonedRunSweeper sweeper, RunnerProperties properties) {
        return new PeriodicLoop("abandoned-run-sweeper", properties.abandonInterval(), sweeper::sweep);
    }
}
