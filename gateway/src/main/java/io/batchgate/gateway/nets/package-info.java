/** The HTTP API of job nets: start a net run, follow it with its members, cancel it, rerun it from failure. */
@NullMarked
package io.batchgate.gateway.nets;

import org.jspecify.annotations.NullMarked;
