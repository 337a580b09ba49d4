package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTests {

    static final Path SAMPLE = Path.of("sample");

    @TempDir
    Path dir;

    @Test
    void loadsTheSampleCatalog() {
        Catalog catalog = new CatalogLoader().load(SAMPLE);

        assertThat(catalog.jobs()).containsOnlyKeys("exit-with", "hello", "nightly-billing", "sleep");
        assertThat(catalog.warnings()).isEmpty();
        assertThat(catalog.version()).matches("git:[0-9a-f]{40}(-dirty)?|sha256:[0-9a-f]{16}");
        assertThat(catalog.job("hello")).isPresent();
        assertThat(catalog.job("nope")).isEmpty();
    }

    @Test
    void readsEveryFieldOfTheHelloJob() {
        JobDefinition hello = new CatalogLoader().load(SAMPLE).job("hello").orElseThrow();

        assertThat(hello.description()).isEqualTo("Prints a greeting built from GREETING.");
        assertThat(hello.runtime()).isEmpty();
        assertThat(hello.ecs()).isEmpty();
        assertThat(hello.local().orElseThrow().command())
                .containsExactly(
                        "sh", "-c", "echo \"$GREETING, world! (run $BATCHGATE_RUN_ID, attempt $BATCHGATE_ATTEMPT)\"");
        ParamSpec greeting = hello.params().get("GREETING");
        assertThat(greeting.type()).isEqualTo(ParamType.STRING);
        assertThat(greeting.defaultValue()).contains("Hello");
        assertThat(greeting.maxLength()).isEqualTo(64);
        assertThat(greeting.pattern().orElseThrow().pattern()).isEqualTo("[A-Za-z ,.!'-]+");
        assertThat(greeting.description()).isEqualTo("The greeting word.");
        assertThat(hello.exitCodes()).isEqualTo(ExitCodePolicy.defaults());
        assertThat(hello.file()).isEqualTo("hello.yaml");
        assertThat(hello.line()).isEqualTo(2);
        assertThat(hello.bind(Map.of()).values()).containsExactly(Map.entry("GREETING", "Hello"));
    }

    @Test
    void readsTheEcsJob() {
        JobDefinition billing =
                new CatalogLoader().load(SAMPLE).job("nightly-billing").orElseThrow();

        EcsTarget ecs = billing.ecs().orElseThrow();
        assertThat(ecs.cluster()).isEqualTo("batch-prod");
        assertThat(ecs.taskDefinition()).isEqualTo("billing-export:42");
        assertThat(ecs.container()).isEqualTo("app");
        assertThat(ecs.launchType()).isEmpty();
        assertThat(ecs.capacityProviderStrategy())
                .containsExactly(
                        new EcsTarget.CapacityProvider("FARGATE_SPOT", 3, 0),
                        new EcsTarget.CapacityProvider("FARGATE", 1, 1));
        assertThat(ecs.platformVersion()).contains("1.4.0");
        assertThat(ecs.network())
                .contains(new EcsTarget.NetworkConfig(
                        List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"),
                        List.of("sg-0123456789abcdef0"),
                        false));
        assertThat(ecs.taskRole()).contains("arn:aws:iam::123456789012:role/billing-export-task");
        assertThat(ecs.executionRole()).isEmpty();
        assertThat(ecs.command()).isEmpty();
        assertThat(ecs.cpu()).contains(1024);
        assertThat(ecs.memory()).contains(2048);
        assertThat(ecs.tags()).containsExactly(Map.entry("team", "billing"));
        assertThat(ecs.propagateTags()).contains("TASK_DEFINITION");
        assertThat(billing.local()).isPresent();
        assertThat(billing.params()).containsOnlyKeys("BUSINESS_DATE", "TARGET", "DRY_RUN");
        assertThat(billing.params().keySet()).containsExactly("BUSINESS_DATE", "TARGET", "DRY_RUN");
        assertThat(billing.exitCodes().judge(3)).isEqualTo(ExitJudgment.WARNING);
        assertThat(billing.bind(Map.of("BUSINESS_DATE", "2026/11/23")).values())
                .containsExactly(
                        Map.entry("BUSINESS_DATE", "2026-11-23"),
                        Map.entry("TARGET", "incremental"),
                        Map.entry("DRY_RUN", "false"));
    }

    @Test
    void normalizesDefaultsAndReadsScalarsOfAnyKindAsDefaults() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    runtime: local
                    local:
                      command: [run]
                      workingDir: /srv
                      env: {LANG: C.UTF-8}
                    params:
                      N: {type: int, default: 007}
                      DAY: {type: date, default: 2026/01/31}
                      ON: {type: bool, default: true}
                      S: {type: string, default: "42"}
                """));

        JobDefinition job = new CatalogLoader().load(dir).job("a").orElseThrow();

        assertThat(job.runtime()).contains(Runtime.LOCAL);
        assertThat(job.local())
                .contains(new LocalTarget(List.of("run"), Optional.of("/srv"), Map.of("LANG", "C.UTF-8")));
        assertThat(job.params().get("N").defaultValue()).contains("7");
        assertThat(job.params().get("DAY").defaultValue()).contains("2026-01-31");
        assertThat(job.params().get("ON").defaultValue()).contains("true");
        assertThat(job.params().get("S").defaultValue()).contains("42");
    }

    @Test
    void warnsAboutSecretParamsOnEcsOnly() {
        CatalogFiles.write(dir, Map.of("jobs.yaml", """
                jobs:
                  on-ecs:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      API_TOKEN:
                        type: string
                        secret: true
                  pinned-local:
                    runtime: local
                    local: {command: [x]}
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      API_TOKEN: {type: string, secret: true}
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.warnings())
                .extracting(CatalogProblem::toString)
                .containsExactly("jobs.yaml:7: jobs.on-ecs.params.API_TOKEN.secret: secret param API_TOKEN would be"
                        + " visible in ECS DescribeTasks/CloudTrail as a container override");
    }

    @Test
    void warnsWhenAnEcsJobsWorstCaseOverridesExceedEcsLimit() {
        CatalogFiles.write(dir, Map.of("jobs.yaml", """
                jobs:
                  fits:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      NOTE: {type: string, maxLength: 1000}
                      DAY: {type: date}
                  too-big:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      QUERY: {type: string, maxLength: 4096}
                      LABEL: {type: string, pattern: "[a-z]+", maxLength: 100}
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.jobs()).containsKeys("fits", "too-big");
        assertThat(catalog.warnings())
                .extracting(CatalogProblem::toString)
                .singleElement()
                .asString()
                .startsWith("jobs.yaml:8: jobs.too-big.ecs: with every parameter at its maxLength the container"
                        + " overrides would be about 8")
                .endsWith("ECS accepts 8192, so such triggers will be refused (lower the maxLength of string"
                        + " params)");
    }

    @Test
    void followsYamlAliases() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    ecs: &prod {cluster: prod, taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/x:3", container: app, launchType: FARGATE}
                  b:
                    ecs: *prod
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.job("b").orElseThrow().ecs())
                .isEqualTo(catalog.job("a").orElseThrow().ecs());
        assertThat(catalog.job("b").orElseThrow().ecs().orElseThrow().launchType())
                .contains("FARGATE");
    }
}
