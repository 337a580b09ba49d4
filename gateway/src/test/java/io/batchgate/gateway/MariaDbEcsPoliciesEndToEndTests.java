package io.batchgate.gateway;

import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;

/** The ECS policies on MariaDB, the production database. */
class MariaDbEcsPoliciesEndToEndTests extends EcsPoliciesEndToEndTests {

    @Override
    String newDatabaseUrl(Path dataDir) {
        return TestDatabases.newMariaDbDatabase();
    }
}
