package io.batchgate.gateway.wait;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.loop.PeriodicLoop;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WaitProperties.class)
class WaitConfiguration {

    @Bean
    RunWaiters runWaiters(RunLedger ledger, WaiterLeases leases, WaitProperties properties, Clock clock) {
        return new RunWaiters(ledger, leases, properties, clock);
    }

    @Bean
    PeriodicLoop runWaitersLoop(RunWaiters waiters, WaitProperties properties) {
        return new PeriodicLoop("run-waiters", properties.tick(), waiters::tick);
    }
}
