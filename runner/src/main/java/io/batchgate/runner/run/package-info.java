/**
 * The run domain: runs, attempts, their lifecycle. Knows nothing of HTTP, SQL, queues or AWS.
 */
@NullMarked
package io.batchgate.runner.run;

import org.jspecify.annotations.NullMarked;
