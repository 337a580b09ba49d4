/** What the AWS adapters (ECS, CloudWatch Logs) configure alike: Region, endpoint, simulator credentials. */
@NullMarked
package io.batchgate.runner.aws;

import org.jspecify.annotations.NullMarked;
