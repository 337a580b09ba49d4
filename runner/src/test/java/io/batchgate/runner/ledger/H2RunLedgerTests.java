package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;

class H2RunLedgerTests extends RunLedgerContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
