package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTests {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void acceptsTheSampleCatalog() {
        int exitCode = run("validate", "sample");

        assertThat(exitCode).isZero();
        assertThat(out())
                .matches(
                        "catalog OK: 5 jobs, 1 nets, version (git:[0-9a-f]{40}\\+sha256:[0-9a-f]{16}|sha256:[0-9a-f]{16})\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void acceptsTheDirectoryAloneAndPrintsWarnings() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      TOKEN: {type: string, secret: true}
                """));

        int exitCode = run(dir.toString());

        assertThat(exitCode).isZero();
        assertThat(out()).startsWith("catalog OK: 1 jobs, 0 nets, version sha256:");
        assertThat(err())
                .isEqualTo("warning: a.yaml:5: jobs.a.params.TOKEN.secret: secret param TOKEN would be visible in"
                        + " ECS DescribeTasks/CloudTrail as a container override, so triggers that give it a value are"
                        + " refused on the ecs runtime; declare the job's secrets under secrets: (env name: Secrets"
                        + " Manager or SSM ARN) instead\n");
    }

    @Test
    void printsErrorsThenWarningsAndExitsOne() {
        CatalogFiles.write(
                dir,
                Map.of(
                        "a.yaml",
                        "jobs:\n  a:\n    ecs: {cluster: c, taskDefinition: td, container: app}\n    params:\n"
                                + "      TOKEN: {type: string, secret: true}\n",
                        "b.yaml",
                        "jobs:\n  b:\n    local: {command: []}\n"));

        int exitCode = run("validate", dir.toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err())
                .isEqualTo("b.yaml:3: jobs.b.local.command: must not be empty\n"
                        + "warning: a.yaml:5: jobs.a.params.TOKEN.secret: secret param TOKEN would be visible in"
                        + " ECS DescribeTasks/CloudTrail as a container override, so triggers that give it a value are"
                        + " refused on the ecs runtime; declare the job's secrets under secrets: (env name: Secrets"
                        + " Manager or SSM ARN) instead\n"
                        + "catalog INVALID: 1 error, 1 warning\n");
    }

    @Test
    void exitsTwoOnAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("check", "a")).isEqualTo(2);
        assertThat(run("validate", "a", "b")).isEqualTo(2);
        assertThat(err()).startsWith("usage: validate <catalog-directory>\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void exitsOneForAMissingDirectory() {
        assertThat(run(dir.resolve("nope").toString())).isEqualTo(1);
        assertThat(err()).startsWith(dir.resolve("nope") + ":0: (catalog): directory does not exist\n");
    }

    private int run(String... args) {
        return new ValidateCommand(new CatalogLoader())
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
