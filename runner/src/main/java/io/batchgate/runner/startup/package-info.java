/** Start-up waits for what it needs (database, queue) with backoff, up to a configured limit. */
@NullMarked
package io.batchgate.runner.startup;

import org.jspecify.annotations.NullMarked;
