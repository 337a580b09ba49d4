package io.batchgate.runner.upgrade;

import io.batchgate.runner.testing.TestDatabases;

/** The same upgrade on MariaDB through Connector/J, the production path for MySQL. */
class MariaDbSchemaUpgradeTests extends SchemaUpgradeContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
