package io.batchgate.runner.metrics;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.loop.PeriodicLoop;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The per-job meters, on every replica (gateway-only ones count the runs they accept). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
class MetricsConfiguration {

    @Bean
    JobTags jobTags(CurrentCatalog catalog) {
        return new JobTags(catalog);
    }

    @Bean
    RunMetrics runMetrics(ObjectProvider<MeterRegistry> meters, JobTags jobTags) {
        return new RunMetrics(meters.getIfAvailable(SimpleMeterRegistry::new), jobTags);
    }

    @Bean
    WaitingRunsGauges waitingRunsGauges(
            JdbcClient jdbc, JobTags jobTags, ObjectProvider<MeterRegistry> meters, Clock clock) {
        return new WaitingRunsGauges(jdbc, jobTags, meters.getIfAvailable(SimpleMeterRegistry::new), clock);
    }

    @Bean
    PeriodicLoop waitingRunsRefresh(WaitingRunsGauges gauges, MetricsProperties properties) {
        return new PeriodicLoop("metrics-refresh", properties.refreshInterval(), gauges::refresh);
    }
}
