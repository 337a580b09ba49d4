package io.batchgate.runner.catalog;

import io.batchgate.runner.testing.TestDatabases;

class H2CatalogVersionsTests extends CatalogVersionsContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
