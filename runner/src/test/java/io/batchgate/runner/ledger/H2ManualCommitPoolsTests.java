package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;

class H2ManualCommitPoolsTests extends ManualCommitPoolsContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
