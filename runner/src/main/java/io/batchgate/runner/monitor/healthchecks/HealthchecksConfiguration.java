package io.batchgate.runner.monitor.healthchecks;

import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.loop.PeriodicLoop;
import io.batchgate.runner.monitor.LogTail;
import io.batchgate.runner.monitor.MonitorProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The Healthchecks adapter: job pings, monitors as code and the own heartbeat, each switched on by itself. */
@Configuration(proxyBeanMethods = false)
class HealthchecksConfiguration {

    static HttpClient httpClient(MonitorProperties properties) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "batchgate.monitor.enabled", havingValue = "true")
    static class Pings {

        @Bean
        PingOutbox pingOutbox(JdbcClient jdbc) {
            return new PingOutbox(jdbc);
        }

        @Bean
        PingMetrics jobPingMetrics(ObjectProvider<MeterRegistry> meters) {
            return new PingMetrics(meters.getIfAvailable(SimpleMeterRegistry::new), "job");
        }

        /**
         * A slug monitor without a ping key could never be pinged: refuse to start, naming each
         * job, rather than run with monitors silently dead.
         */
        @Bean
        HealthchecksMonitor healthchecksMonitor(
                PingOutbox outbox,
                CurrentCatalog catalog,
                PingMetrics jobPingMetrics,
                MonitorProperties properties,
                Clock clock) {
            PingUrls urls = new PingUrls(properties);
            List<String> unreachable = urls.unreachable(catalog.get());
            if (!unreachable.isEmpty()) {
                throw new IllegalStateException("batchgate.monitor.ping-key is not set, but these monitors are slugs: "
                        + String.join(", ", unreachable)
                        + " (set the project's ping key, or give these jobs a full monitor url)");
            }
            return new HealthchecksMonitor(outbox, urls, catalog, jobPingMetrics, clock);
        }

        @Bean
        HealthchecksPinger healthchecksPinger(
                PingOutbox outbox,
                LogTail logTail,
                PingMetrics jobPingMetrics,
                MonitorProperties properties,
                Clock clock) {
            return new HealthchecksPinger(
                    outbox,
                    logTail,
                    new PingBodyLimits(properties.defaultBodyLimit()),
                    jobPingMetrics,
                    properties,
                    httpClient(properties),
                    clock);
        }

        @Bean
        PeriodicLoop monitorPingLoop(HealthchecksPinger pinger, MonitorProperties properties) {
            return new PeriodicLoop("monitor-pings", properties.interval(), pinger::drain);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "batchgate.monitor.management.enabled", havingValue = "true")
    static class Management {

        @Bean
        HealthchecksChecks healthchecksChecks(MonitorProperties properties, JsonMapper json) {
            return new HealthchecksChecks(properties, httpClient(properties), json);
        }

        @Bean
        CheckProvisioning checkProvisioning(HealthchecksChecks checks, CurrentCatalog catalog) {
            return new CheckProvisioning(checks, catalog);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "batchgate.monitor.self.url")
    static class Self {

        @Bean
        SelfHeartbeat selfHeartbeat(
                MonitorProperties properties, JdbcClient jdbc, ObjectProvider<MeterRegistry> meters) {
            return new SelfHeartbeat(
                    Objects.requireNonNull(properties.self().url()),
                    jdbc,
                    httpClient(properties),
                    properties.timeout(),
                    new PingMetrics(meters.getIfAvailable(SimpleMeterRegistry::new), "self"));
        }

        @Bean
        PeriodicLoop selfHeartbeatLoop(SelfHeartbeat heartbeat, MonitorProperties properties) {
            return new PeriodicLoop("monitor-self", properties.self().interval(), heartbeat::beat);
        }
    }
}
