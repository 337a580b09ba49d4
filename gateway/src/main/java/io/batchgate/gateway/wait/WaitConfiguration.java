package io.batchgate.gateway.wait;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.ledger.WaiterLeases;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.net.NetRuns;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WaitProperties.class)
class WaitConfiguration {

    @Bean
    RunWaiters runWaiters(
            RunLedger ledger, NetRuns netRuns, WaiterLeases leases, WaitProperties properties, Clock clock) {
        return new RunWaiters(ledger, netRuns, leases, properties, clock);
    }

    @Bean
    PeriodicLoop runWaitersLoop(RunWaiters waiters, WaitProperties properties) {
        return new PeriodicLoop("run-waiters", properties.tick(), waiters::tick);
    }

    /**
     * Releases parked waiters when the application stops — before the web server's graceful
     * shutdown (a lower phase, so it stops later) waits for open requests.
     */
    @Bean
    SmartLifecycle runWaitersRelease(RunWaiters waiters) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                // contexts can be stopped and started again (Spring's test context cache pauses
                // the ones not in use): a restarted gateway parks waiters again
                waiters.open();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                waiters.releaseAll();
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
