package io.batchgate.runner.batch;

import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class BatchConfiguration {

    /** The recorder writes through a {@link JoiningJobRepository} on the tables Spring Boot configured. */
    @Bean
    SpringBatchAttemptRecorder springBatchAttemptRecorder(
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            BatchJdbcProperties properties,
            TransactionTemplate tx)
            throws Exception {
        String tablePrefix = Objects.requireNonNullElse(properties.getTablePrefix(), "BATCH_");
        return new SpringBatchAttemptRecorder(
                JoiningJobRepository.create(
                        dataSource,
                        transactionManager,
                        tablePrefix,
                        Objects.requireNonNullElse(properties.getIsolationLevelForCreate(), Isolation.SERIALIZABLE)),
                tx,
                dataSource,
                tablePrefix);
    }
}
