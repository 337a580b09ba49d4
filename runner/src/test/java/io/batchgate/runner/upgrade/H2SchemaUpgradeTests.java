package io.batchgate.runner.upgrade;

import io.batchgate.runner.testing.TestDatabases;

class H2SchemaUpgradeTests extends SchemaUpgradeContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
