package io.batchgate.runner.admission;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.slots.JobSlots;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdempotencyProperties.class)
class AdmissionConfiguration {

    @Bean
    IdempotencyKeySweeper idempotencyKeySweeper(RunLedger ledger, IdempotencyProperties properties, Clock clock) {
        return new IdempotencyKeySweeper(ledger, properties.retention(), properties.sweepBatch(), clock);
    }

    @Bean
    PeriodicLoop idempotencyKeyLoop(IdempotencyKeySweeper sweeper, IdempotencyProperties properties) {
        return new PeriodicLoop("idempotency-key-sweeper", properties.sweepInterval(), sweeper::sweep);
    }

    /**
     * Without a queue adapter there is nothing to wake; without a way in that keeps an audit trail
     * (the HTTP API does) there is nothing to audit.
     */
    @Bean
    Admission admission(
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            RunLedger ledger,
            Outbox outbox,
            ObjectProvider<OutboxWakeup> wakeup,
            JobSlots jobSlots,
            ExecutionKeys executionKeys,
            WaiterLeases leases,
            ObjectProvider<AdmissionAudit> audit,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock,
            IdempotencyProperties idempotency) {
        return new Admission(
                catalog,
                runtimes,
                ledger,
                outbox,
                wakeup.getIfAvailable(() -> () -> {}),
                jobSlots,
                executionKeys,
                leases,
                audit.getIfAvailable(() -> (requester, run) -> {}),
                canceller,
                tx,
                clock,
                new SecureRandom(),
                idempotency.retention());
    }
}
