package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

/** The same contract on MariaDB, whose REPEATABLE READ and locking are the production path's. */
@Tag("sql")
class MariaDbRunEventDispatchTests extends RunEventDispatchContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newMariaDbDatabase();
    }
}
