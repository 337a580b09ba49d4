package io.batchgate.gateway.trigger;

import io.batchgate.gateway.audit.AuditTrail;
import io.batchgate.gateway.auth.AuthProperties;
import io.batchgate.gateway.auth.Caller;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TriggerConfiguration {

    /** Admission writes the API's audit record with each run it stores. */
    @Bean
    TriggerAudit triggerAudit(AuditTrail trail, Clock clock) {
        return new TriggerAudit(trail, clock);
    }

    @Bean
    TriggerRateLimiter triggerRateLimiter(AuthProperties auth, Clock clock) {
        return new TriggerRateLimiter(
                new Caller.TriggerRate(
                        auth.triggerRate().perSecond(), auth.triggerRate().burst()),
                clock);
    }
}
