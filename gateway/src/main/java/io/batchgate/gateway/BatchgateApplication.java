package io.batchgate.gateway;

import java.time.Clock;
import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * batchgate: started with no arguments it runs the embedded default (gateway and runner in one
 * JVM, H2 file database, in-process SQS-compatible queue, local process runtime, sample catalog).
 */
@SpringBootApplication(scanBasePackages = "io.batchgate")
public class BatchgateApplication {

    public static void main(String[] args) {
        // Spring Batch stamps its own times with the JVM's zone; UTC keeps them beside the ledger's.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        SpringApplication.run(BatchgateApplication.class, args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
