package io.batchgate.runner.ledger;

import io.batchgate.runner.testing.TestDatabases;
import org.junit.jupiter.api.Tag;

@Tag("sql")
class H2RunEventDispatchTests extends RunEventDispatchContractTests {

    @Override
    protected String newDatabaseUrl() {
        return TestDatabases.newH2Database();
    }
}
