package io.batchgate.runner.catalog;

import io.batchgate.runner.testing.TestDatabases;

/** The same contract on MariaDB through Connector/J (the duplicate key is SQL state 23000 there). */
class MariaDbCatalogVersionsTests extends CatalogVersionsContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
