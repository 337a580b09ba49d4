package io.batchgate.gateway.console;

import io.batchgate.gateway.audit.AuditTrail;
import io.batchgate.gateway.auth.CallerRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The operators' web console under {@code /ui}: its read model, audit, and session filter. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean
    ConsoleRuns consoleRuns(JdbcClient jdbc) {
        return new ConsoleRuns(jdbc);
    }

    @Bean
    ConsoleAudit consoleAudit(AuditTrail trail, Clock clock) {
        return new ConsoleAudit(trail, clock);
    }

    @Bean
    SecureRandom consoleRandom() {
        return new SecureRandom();
    }

    /** Looks the callers up per request, as the API's filter does (see AuthConfiguration). */
    @Bean
    FilterRegistrationBean<ConsoleFilter> consoleFilter(ObjectProvider<CallerRegistry> callers, ConsoleAudit audit) {
        FilterRegistrationBean<ConsoleFilter> registration =
                new FilterRegistrationBean<>(new ConsoleFilter(callers::getObject, audit));
        registration.addUrlPatterns("/ui", "/ui/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
