package io.batchgate.runner.slots;

import io.batchgate.catalog.Catalog;
import io.batchgate.runner.catalog.CurrentCatalog;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class SlotsConfiguration {

    @Bean
    JobSlots jobSlots(JdbcClient jdbc) {
        return new JobSlots(jdbc);
    }

    /**
     * Every job of the catalog gets its lock row before the first trigger needs it: at start-up,
     * and for the jobs a reloaded catalog adds.
     */
    @Bean
    ApplicationRunner jobLockRows(JobSlots slots, CurrentCatalog catalog) {
        return args -> {
            createLockRows(slots, catalog.get());
            catalog.onSwap(swapped -> createLockRows(slots, swapped));
        };
    }

    private static void createLockRows(JobSlots slots, Catalog catalog) {
        List<String> jobs = new ArrayList<>(catalog.jobs().keySet());
        jobs.add(JobSlots.GLOBAL);
        slots.createLockRows(jobs);
    }
}
