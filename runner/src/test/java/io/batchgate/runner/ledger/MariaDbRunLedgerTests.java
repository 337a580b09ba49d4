package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;

/**
 * The same contract on MariaDB through Connector/J — the production path for MySQL. Times keep
 * their milliseconds there too, although Connector/J sends none to MariaDB 10.x (see SqlTime).
 */
class MariaDbRunLedgerTests extends RunLedgerContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
