package io.batchgate.runner.admission;

/** What a dry run found: the launch a request would make, or why it would be refused. */
public sealed interface Previewed permits DryRun, Admitted.Refused {}
