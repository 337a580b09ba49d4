package io.batchgate.gateway.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditTrail auditTrail(JdbcClient jdbc) {
        return new AuditTrail(jdbc);
    }

    /** Before the bearer-token filter, so that what it refuses is audited too. */
    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail trail, Clock clock, MeterRegistry meters) {
        FilterRegistrationBean<AuditFilter> registration =
                new FilterRegistrationBean<>(new AuditFilter(trail, clock, meters));
        registration.addUrlPatterns("/api/*", "/actuator/prometheus");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
