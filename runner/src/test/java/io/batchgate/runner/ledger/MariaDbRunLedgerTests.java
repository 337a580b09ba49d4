package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;

/** The same contract on MariaDB through Connector/J — the production path for MySQL. */
class MariaDbRunLedgerTests extends RunLedgerContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
