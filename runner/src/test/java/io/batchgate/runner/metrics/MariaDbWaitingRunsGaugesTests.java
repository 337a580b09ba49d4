package io.batchgate.runner.metrics;

import io.batchgate.runner.testing.TestDatabases;

class MariaDbWaitingRunsGaugesTests extends WaitingRunsGaugesContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
