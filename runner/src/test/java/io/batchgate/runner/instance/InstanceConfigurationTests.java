package io.batchgate.runner.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.launch.LaunchProperties;
import io.batchgate.runner.queue.sqs.QueueProperties;
import io.batchgate.runner.runtime.RuntimeProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runner switch, and the records that took the place of the {@code @Value} keys, bound as Boot binds them. */
class InstanceConfigurationTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({LaunchProperties.class, RuntimeProperties.class, QueueProperties.class})
    static class Features {

        @Bean
        @ConditionalOnRunner
        String runnerOnly() {
            return "runner only";
        }
    }

    private final ApplicationContextRunner contexts =
            new ApplicationContextRunner().withUserConfiguration(InstanceConfiguration.class, Features.class);

    @Test
    void aReplicaIsARunnerUnlessToldOtherwise() {
        contexts.run(context -> {
            assertThat(context).hasBean("runnerOnly");
            assertThat(context.getBean(RunnerProperties.class))
                    .isEqualTo(new RunnerProperties(
                            true,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(5),
                            Duration.ofMinutes(2),
                            Duration.ofSeconds(30)));
        });
        contexts.withPropertyValues("batchgate.runner.enabled=true")
                .run(context -> assertThat(context).hasBean("runnerOnly"));
        contexts.withPropertyValues("batchgate.runner.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("runnerOnly");
            assertThat(context.getBean(RunnerProperties.class).enabled()).isFalse();
        });
    }

    @Test
    void theFormerValueKeysKeepTheirNamesAndDefaults() {
        contexts.run(context -> {
            assertThat(context.getBean(DataDirProperties.class).dataDir().normalize())
                    .isEqualTo(Path.of("./batchgate-data").normalize());
            assertThat(context.getBean(RuntimeProperties.class).defaultRuntime())
                    .isEqualTo("local");
            assertThat(context.getBean(LaunchProperties.class))
                    .isEqualTo(new LaunchProperties(0, Duration.ofSeconds(2)));
            assertThat(context.getBean(QueueProperties.class).embedded()).isFalse();
        });
        contexts.withPropertyValues(
                        "batchgate.data-dir=/srv/batchgate",
                        "batchgate.runtime.default=ecs",
                        "batchgate.launch.max-concurrent=7",
                        "batchgate.launch.slot-recheck=100ms",
                        "batchgate.runner.launch-lease=3s",
                        "batchgate.runner.adoption-interval=300ms",
                        "batchgate.queue.embedded=true")
                .run(context -> {
                    assertThat(context.getBean(DataDirProperties.class).dataDir())
                            .isEqualTo(Path.of("/srv/batchgate"));
                    assertThat(context.getBean(RuntimeProperties.class).defaultRuntime())
                            .isEqualTo("ecs");
                    assertThat(context.getBean(LaunchProperties.class))
                            .isEqualTo(new LaunchProperties(7, Duration.ofMillis(100)));
                    assertThat(context.getBean(RunnerProperties.class).launchLease())
                            .isEqualTo(Duration.ofSeconds(3));
                    assertThat(context.getBean(RunnerProperties.class).adoptionInterval())
                            .isEqualTo(Duration.ofMillis(300));
                    assertThat(context.getBean(QueueProperties.class).embedded())
                            .isTrue();
                });
    }

    @Test
    void aBadValueStopsStartUpNamingTheKey() {
        assertRefused("batchgate.runner.deadline-interval=0s", "batchgate.runner.deadline-interval must be positive");
        assertRefused("batchgate.runner.launch-lease=-1s", "batchgate.runner.launch-lease must be positive");
        assertRefused("batchgate.launch.max-concurrent=-1", "batchgate.launch.max-concurrent must be 0 (no cap)");
        assertRefused("batchgate.launch.slot-recheck=0s", "batchgate.launch.slot-recheck must be positive");
        assertRefused("batchgate.runtime.default= ", "batchgate.runtime.default must name a runtime");
        assertRefused("batchgate.queue.visibility-seconds=43201", "batchgate.queue.visibility-seconds must be from 0");
        assertRefused("batchgate.queue.max-receive-count=0", "batchgate.queue.max-receive-count must be from 1");
        assertRefused("batchgate.queue.relay-interval=0s", "batchgate.queue.relay-interval must be positive");
    }

    private void assertRefused(String property, String message) {
        contexts.withPropertyValues(property).run(context -> assertThat(context)
                .as(property)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageStartingWith(message));
    }
}
