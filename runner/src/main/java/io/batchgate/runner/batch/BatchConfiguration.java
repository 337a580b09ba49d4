package io.batchgate.runner.batch;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class BatchConfiguration {

    @Bean
    SpringBatchAttemptRecorder springBatchAttemptRecorder(JobRepository jobRepository, TransactionTemplate tx) {
        return new SpringBatchAttemptRecorder(jobRepository, tx);
    }
}
