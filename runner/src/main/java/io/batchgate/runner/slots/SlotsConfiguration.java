package io.batchgate.runner.slots;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class SlotsConfiguration {

    @Bean
    JobSlots jobSlots(JdbcClient jdbc) {
        return new JobSlots(jdbc);
    }
}
