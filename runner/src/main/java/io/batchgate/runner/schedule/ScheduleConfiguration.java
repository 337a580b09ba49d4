package io.batchgate.runner.schedule;

import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.monitor.Monitor;
import io.batchgate.runner.net.NetTrigger;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScheduleProperties.class)
class ScheduleConfiguration {

    @Bean
    FireLedger fireLedger(JdbcClient jdbc) {
        return new FireLedger(jdbc);
    }

    @Bean
    Schedules schedules(CurrentCatalog catalog, FireLedger ledger, Clock clock) {
        return new Schedules(catalog, ledger, clock);
    }

    @Bean
    JobFireTarget jobFireTarget(Admission admission, ScheduleProperties properties) {
        return new JobFireTarget(admission, replica(properties));
    }

    @Bean
    NetFireTarget netFireTarget(NetTrigger trigger) {
        return new NetFireTarget(trigger);
    }

    @Bean
    @ConditionalOnRunner
    @ConditionalOnProperty(name = "batchgate.schedule.enabled", havingValue = "true", matchIfMissing = true)
    Scheduler scheduler(
            CurrentCatalog catalog,
            FireLedger ledger,
            List<FireTarget> targets,
            Monitor monitor,
            TransactionTemplate tx,
            MeterRegistry metrics,
            Clock clock,
            ScheduleProperties properties) {
        return new Scheduler(
                catalog, ledger, targets, monitor, tx, metrics, clock, replica(properties), properties.lateAfter());
    }

    @Bean
    @ConditionalOnRunner
    @ConditionalOnProperty(name = "batchgate.schedule.enabled", havingValue = "true", matchIfMissing = true)
    PeriodicLoop schedulerLoop(Scheduler scheduler, ScheduleProperties properties) {
        return new PeriodicLoop("scheduler", properties.interval(), scheduler::pass);
    }

    private static String replica(ScheduleProperties properties) {
        if (!properties.replica().isBlank()) {
            return properties.replica();
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "/"
                    + ProcessHandle.current().pid();
        } catch (UnknownHostException e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }
}
