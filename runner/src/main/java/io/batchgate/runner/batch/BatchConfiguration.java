package io.batchgate.runner.batch;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BatchConfiguration {

    @Bean
    SpringBatchAttemptRecorder springBatchAttemptRecorder(JobRepository jobRepository) {
        return new SpringBatchAttemptRecorder(jobRepository);
    }
}
