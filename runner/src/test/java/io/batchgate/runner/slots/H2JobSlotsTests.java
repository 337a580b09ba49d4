package io.batchgate.runner.slots;

import io.batchgate.runner.testing.TestDatabases;

class H2JobSlotsTests extends JobSlotsContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }

    @Override
    protected String shortLockWait() {
        return "SET LOCK_TIMEOUT 200";
    }
}
