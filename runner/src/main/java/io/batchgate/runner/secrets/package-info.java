/**
 * Secret parameter values at rest and in output: sealed (AES-GCM) before the ledger stores them,
 * opened only for a launch, and scrubbed from the job's own output.
 */
@NullMarked
package io.batchgate.runner.secrets;

import org.jspecify.annotations.NullMarked;
