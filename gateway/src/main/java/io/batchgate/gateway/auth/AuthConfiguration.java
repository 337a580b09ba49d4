package io.batchgate.gateway.auth;

import io.batchgate.gateway.problem.ProblemWriter;
import io.batchgate.runner.loop.PeriodicLoop;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class AuthConfiguration {

    @Bean
    CallerRegistry callerRegistry(AuthProperties properties, MeterRegistry meters) {
        return new CallerRegistry(properties, meters);
    }

    @Bean
    @ConditionalOnProperty("batchgate.auth.callers-file")
    PeriodicLoop callersFileLoop(CallerRegistry callers, AuthProperties properties) {
        return new PeriodicLoop("callers-file", properties.reloadInterval(), callers::reloadIfChanged);
    }

    /**
     * The filter looks the callers up on each request instead of taking them at construction:
     * filters are built while the web server starts, and a refused callers configuration must stop
     * the start-up after that, with its short failure report, not inside Tomcat's start.
     */
    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(
            ObjectProvider<CallerRegistry> callers, ProblemWriter problems) {
        FilterRegistrationBean<BearerTokenFilter> registration =
                new FilterRegistrationBean<>(new BearerTokenFilter(callers::getObject, problems));
        registration.addUrlPatterns("/api/*", BearerTokenFilter.METRICS_PATH);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
