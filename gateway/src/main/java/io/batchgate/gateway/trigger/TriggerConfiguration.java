package io.batchgate.gateway.trigger;

import io.batchgate.gateway.audit.AuditTrail;
import io.batchgate.gateway.auth.AuthProperties;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.launch.TaskRuntimes;
import io.batchgate.runner.ledger.ExecutionKeys;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.queue.sqs.OutboxRelay;
import io.batchgate.runner.slots.JobSlots;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class TriggerConfiguration {

    @Bean
    TriggerService triggerService(
            CurrentCatalog catalog,
            TaskRuntimes runtimes,
            RunLedger ledger,
            Outbox outbox,
            OutboxRelay relay,
            JobSlots jobSlots,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock,
            ExecutionKeys executionKeys,
            WaiterLeases leases,
            AuditTrail audit) {
        return new TriggerService(
                catalog,
                runtimes,
                ledger,
                outbox,
                relay,
                jobSlots,
                canceller,
                tx,
                clock,
                new SecureRandom(),
                executionKeys,
                leases,
                audit);
    }

    @Bean
    TriggerRateLimiter triggerRateLimiter(AuthProperties auth, Clock clock) {
        return new TriggerRateLimiter(
                new Caller.TriggerRate(
                        auth.triggerRate().perSecond(), auth.triggerRate().burst()),
                clock);
    }
}
