package io.batchgate.runner.net;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Job nets.
 *
 * @param sweepInterval how often a runner looks at every active net run, to move on what no run
 *     event did (a replica that crashed between a member's end and the next member's start)
 */
@ConfigurationProperties("batchgate.nets")
public record NetsProperties(@DefaultValue("10s") Duration sweepInterval) {}
