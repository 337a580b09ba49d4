@NullMarked
package io.batchgate.runner.queue.sqs;

import org.jspecify.annotations.NullMarked;
