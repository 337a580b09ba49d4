package io.batchgate.runner.metrics;

import io.batchgate.runner.testing.TestDatabases;

class H2WaitingRunsGaugesTests extends WaitingRunsGaugesContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
