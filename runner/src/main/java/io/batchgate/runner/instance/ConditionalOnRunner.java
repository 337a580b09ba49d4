package io.batchgate.runner.instance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The one switch between a runner and a gateway-only replica: a bean (or configuration) marked so
 * exists only where {@code batchgate.runner.enabled} is not {@code false} ({@link RunnerProperties}).
 * Beans that every replica needs (the outbox relay that sends launch messages, cancel, the ledger)
 * carry no mark.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "batchgate.runner.enabled", havingValue = "true", matchIfMissing = true)
public @interface ConditionalOnRunner {}
