package io.batchgate.gateway;

import java.nio.file.Path;

/** The ECS policies on the embedded default database: an H2 file under the data directory. */
class H2EcsPoliciesEndToEndTests extends EcsPoliciesEndToEndTests {

    @Override
    String newDatabaseUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db") + "/batchgate";
    }
}
