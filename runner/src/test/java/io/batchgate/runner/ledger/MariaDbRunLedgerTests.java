package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;
import java.time.temporal.ChronoUnit;

/** The same contract on MariaDB through Connector/J — the production path for MySQL. */
class MariaDbRunLedgerTests extends RunLedgerContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }

    @Override
    protected ChronoUnit timePrecision() {
        return ChronoUnit.SECONDS;
    }
}
