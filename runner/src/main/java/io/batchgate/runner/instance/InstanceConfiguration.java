package io.batchgate.runner.instance;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Bound on every replica: a gateway-only one reads {@code batchgate.runner.enabled} too. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DataDirProperties.class, RunnerProperties.class})
class InstanceConfiguration {}
