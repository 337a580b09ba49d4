package io.batchgate.runner.quota;

import io.batchgate.runner.testing.TestDatabases;

class MariaDbLaunchBucketTests extends LaunchBucketContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
