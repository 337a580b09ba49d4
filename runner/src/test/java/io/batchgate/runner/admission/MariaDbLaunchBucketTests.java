package io.batchgate.runner.admission;

import io.batchgate.runner.testing.TestDatabases;

class MariaDbLaunchBucketTests extends LaunchBucketContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
