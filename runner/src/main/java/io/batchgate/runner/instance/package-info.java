/**
 * What this instance of batchgate is: where it keeps its files, and whether it runs tasks (a
 * runner) or only answers the API (a gateway-only replica, {@code batchgate.runner.enabled=false}).
 */
@NullMarked
package io.batchgate.runner.instance;

import org.jspecify.annotations.NullMarked;
