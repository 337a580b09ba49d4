package io.batchgate.bench;

import io.batchgate.gateway.ApiClient;
import io.batchgate.gateway.BatchgateApplication;
import io.batchgate.gateway.GatewayTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole batchgate application started in the benchmark's JVM, as its tests start it: a data
 * directory, a catalog written from YAML, a bench token, a random port, logs at {@code warn}, and
 * the given database. Further {@code --name=value} arguments are the benchmark's own settings.
 */
final class BenchApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final ApiClient api;

    private BenchApp(ConfigurableApplicationContext context) {
        this.context = context;
        this.api = new ApiClient(
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    static BenchApp start(Path dataDir, String catalogYaml, BenchDatabase database, String... extra) {
        Path catalog = dataDir.resolve("catalog");
        try {
            Files.createDirectories(catalog);
            Files.writeString(catalog.resolve("bench.yaml"), catalogYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of(
                "--batchgate.data-dir=" + dataDir,
                "--batchgate.catalog.dir=" + catalog,
                "--batchgate.auth.tokens[0].name=bench",
                "--batchgate.auth.tokens[0].token=" + GatewayTestSupport.TOKEN,
                "--batchgate.auth.tokens[0].scopes=admin",
                // benchmarks measure batchgate, not the per-caller trigger rate limit
                "--batchgate.auth.trigger-rate.per-second=1000000",
                "--batchgate.auth.trigger-rate.burst=1000000",
                "--spring.cloud.aws.sqs.listener.poll-timeout=1s",
                "--server.port=0",
                "--logging.level.root=warn",
                "--logging.level.io.batchgate=warn"));
        args.addAll(database.springArguments());
        args.addAll(List.of(extra));
        return new BenchApp(new SpringApplicationBuilder(BatchgateApplication.class).run(args.toArray(String[]::new)));
    }

    ApiClient api() {
        return api;
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    DataSource dataSource() {
        return context.getBean(DataSource.class);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
