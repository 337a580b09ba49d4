package io.batchgate.runner.quota;

import io.batchgate.runner.testing.TestDatabases;

class H2LaunchBucketTests extends LaunchBucketContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
