package io.batchgate.runner.net;

import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.control.RunCanceller;
import io.batchgate.runner.instance.ConditionalOnRunner;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.loop.PeriodicLoop;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NetsProperties.class)
class NetsConfiguration {

    @Bean
    NetRunStore netRunStore(JdbcClient jdbc, JsonMapper json) {
        return new NetRunStore(jdbc, json);
    }

    @Bean
    NetRuns netRuns(
            NetRunStore store,
            CurrentCatalog catalog,
            Admission admission,
            RunLedger ledger,
            RunCanceller canceller,
            TransactionTemplate tx,
            Clock clock) {
        return new NetRuns(store, catalog, admission, ledger, canceller, tx, clock, new SecureRandom());
    }

    @Bean
    NetTrigger netTrigger(NetRuns netRuns) {
        return new NetTrigger(netRuns);
    }

    @Bean
    NetRunEvents netRunEvents(ObjectProvider<NetRuns> netRuns) {
        return new NetRunEvents(netRuns::getObject);
    }

    @Bean
    @ConditionalOnRunner
    PeriodicLoop netSweepLoop(NetRuns netRuns, NetsProperties properties) {
        return new PeriodicLoop("net-sweeper", properties.sweepInterval(), netRuns::sweep);
    }
}
