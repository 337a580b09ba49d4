package io.batchgate.gateway.fault;

import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the multi-replica fault tests start each application JVM: its own port (chosen by it) and name, one shared
 * MariaDB database, data directory, catalog and SQS queue (ElasticMQ), the test token; each test
 * adds the settings its scenario needs.
 */
final class ReplicaArguments {

    /** Two of these beside the test JVM and the database on a small machine. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx384m");

    private ReplicaArguments() {}

    /**
     * Replica {@code replica}'s arguments, the token having {@code scopes}, then {@code more}. The
     * replica picks its own port ({@link AppJvm#port} reads it back): a port picked free here could be
     * taken by another test's JVM before the replica binds it.
     */
    static List<String> of(
            int replica, String db, int sqsPort, Path catalog, Path dataDir, String scopes, List<String> more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--spring.application.name=replica-" + replica,
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog,
                "--batchgate.auth.tokens[0].name=ci",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=" + scopes,
                "--spring.datasource.url=" + db,
                "--spring.datasource.username=" + TestDatabases.MARIADB_USER,
                "--spring.datasource.password=" + TestDatabases.MARIADB_PASSWORD,
                "--batchgate.queue.embedded=false",
                "--batchgate.queue.create-if-missing=true",
                "--batchgate.queue.relay-interval=100ms",
                "--spring.cloud.aws.sqs.endpoint=http://127.0.0.1:" + sqsPort,
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=test",
                "--spring.cloud.aws.credentials.secret-key=test",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s"));
        args.addAll(more);
        return List.copyOf(args);
    }
}
