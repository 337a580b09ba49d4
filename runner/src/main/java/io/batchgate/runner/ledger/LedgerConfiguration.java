package io.batchgate.runner.ledger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** The run ledger and the outbox, on the application's one DataSource. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    /** Static: a post-processor must exist before the DataSource it tunes. */
    @Bean
    static MySqlDriverTuning mySqlDriverTuning() {
        return new MySqlDriverTuning();
    }

    @Bean
    RunLedger runLedger(JdbcClient jdbc, JsonMapper json, ObjectProvider<RunTransitions> transitions) {
        return new RunLedger(jdbc, json, transitions.orderedStream().toList());
    }

    @Bean
    Outbox outbox(JdbcClient jdbc) {
        return new Outbox(jdbc);
    }

    @Bean
    WaiterLeases waiterLeases(JdbcClient jdbc) {
        return new WaiterLeases(jdbc);
    }

    @Bean
    ExecutionKeys executionKeys(JdbcClient jdbc) {
        return new ExecutionKeys(jdbc);
    }
}
