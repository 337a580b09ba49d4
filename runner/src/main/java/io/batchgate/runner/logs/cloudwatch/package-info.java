/** CloudWatch Logs: reading awslogs and forwarded streams, forwarding lines with PutLogEvents. AWS SDK types stay here. */
@NullMarked
package io.batchgate.runner.logs.cloudwatch;

import org.jspecify.annotations.NullMarked;
