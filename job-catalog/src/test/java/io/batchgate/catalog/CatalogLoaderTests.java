package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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

        assertThat(catalog.jobs()).containsOnlyKeys("close-step", "exit-with", "hello", "nightly-billing", "sleep");
        assertThat(catalog.nets()).containsOnlyKeys("night-close");
        assertThat(catalog.warnings()).isEmpty();
        assertThat(catalog.version()).matches("git:[0-9a-f]{40}\\+sha256:[0-9a-f]{16}|sha256:[0-9a-f]{16}");
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
                        + " visible in ECS DescribeTasks/CloudTrail as a container override, so triggers that give it"
                        + " a value are refused on the ecs runtime; declare the job's secrets under secrets: (env"
                        + " name: Secrets Manager or SSM ARN) instead");
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

    @Test
    void jobsWithoutPolicySectionsGetTheDefaults() {
        JobDefinition hello = new CatalogLoader().load(SAMPLE).job("hello").orElseThrow();

        assertThat(hello.retry()).isEqualTo(RetryPolicy.none());
        assertThat(hello.timeouts()).isEqualTo(Timeouts.defaults());
        assertThat(hello.concurrency()).isEqualTo(ConcurrencyPolicy.defaults());
        assertThat(Timeouts.defaults())
                .isEqualTo(new Timeouts(Optional.empty(), Optional.empty(), Duration.ofSeconds(30)));
        assertThat(Backoff.defaults()).isEqualTo(new Backoff(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(10)));
    }

    @Test
    void emptyPolicySectionsGetTheDefaults() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    local: {command: [x]}
                    retry:
                    timeouts: {}
                    concurrency:
                """));

        JobDefinition job = new CatalogLoader().load(dir).job("a").orElseThrow();

        assertThat(job.retry()).isEqualTo(RetryPolicy.none());
        assertThat(job.timeouts()).isEqualTo(Timeouts.defaults());
        assertThat(job.concurrency()).isEqualTo(ConcurrencyPolicy.defaults());
    }

    @Test
    void readsThePoliciesOfTheSampleJobs() {
        Catalog catalog = new CatalogLoader().load(SAMPLE);
        JobDefinition billing = catalog.job("nightly-billing").orElseThrow();
        JobDefinition sleep = catalog.job("sleep").orElseThrow();

        RetryPolicy retry = billing.retry();
        assertThat(retry.maxAttempts()).isEqualTo(3);
        assertThat(retry.backoff()).isEqualTo(new Backoff(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(10)));
        assertThat(retry.rules())
                .extracting(RetryRule::describe)
                .containsExactly(
                        "rule at line 73 (exitCodes 75 → RETRY)",
                        "rule at line 76 (stopCode 'SpotInterruption' → RETRY)",
                        "rule at line 79 (stopReason '*CannotPullContainerError*' → RETRY)",
                        "rule at line 82 (startTimedOut true → RETRY)");
        assertThat(retry.decide(RetryPolicyTests.exited(75), 1)).isEqualTo(RetryAction.RETRY);
        assertThat(retry.decide(RetryPolicyTests.startTimedOut(), 1)).isEqualTo(RetryAction.RETRY);
        assertThat(retry.decide(RetryPolicyTests.timedOut(), 1)).isEqualTo(RetryAction.FAIL);
        assertThat(retry.decide(RetryPolicyTests.exited(1), 1)).isEqualTo(RetryAction.FAIL);
        assertThat(billing.timeouts())
                .isEqualTo(new Timeouts(
                        Optional.of(Duration.ofHours(2)), Optional.of(Duration.ofMinutes(15)), Duration.ofSeconds(30)));
        assertThat(billing.concurrency()).isEqualTo(new ConcurrencyPolicy(Overlap.FORBID, 100, Optional.empty()));
        assertThat(billing.concurrency().slots()).hasValue(1);

        assertThat(sleep.retry()).isEqualTo(RetryPolicy.none());
        assertThat(sleep.timeouts())
                .isEqualTo(new Timeouts(Optional.of(Duration.ofHours(1)), Optional.empty(), Duration.ofSeconds(5)));
        assertThat(sleep.concurrency()).isEqualTo(new ConcurrencyPolicy(Overlap.QUEUE, 5, Optional.empty()));
    }

    @Test
    void readsEveryDurationFormat() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    local: {command: [x]}
                    timeouts: {run: 1500ms, start: 45s, stopGrace: 2m}
                  b:
                    local: {command: [x]}
                    timeouts: {run: 36h, start: 2d, stopGrace: PT1H}
                  c:
                    local: {command: [x]}
                    timeouts: {run: P1DT2H, start: PT0.25S, stopGrace: 1ms}
                  d:
                    local: {command: [x]}
                    retry:
                      maxAttempts: 10
                      backoff: {initial: 250ms, multiplier: 3, max: PT5M}
                      rules:
                        - action: retry
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.job("a").orElseThrow().timeouts())
                .isEqualTo(new Timeouts(
                        Optional.of(Duration.ofMillis(1500)),
                        Optional.of(Duration.ofSeconds(45)),
                        Duration.ofMinutes(2)));
        assertThat(catalog.job("b").orElseThrow().timeouts())
                .isEqualTo(new Timeouts(
                        Optional.of(Duration.ofHours(36)), Optional.of(Duration.ofDays(2)), Duration.ofHours(1)));
        assertThat(catalog.job("c").orElseThrow().timeouts())
                .isEqualTo(new Timeouts(
                        Optional.of(Duration.ofHours(26)), Optional.of(Duration.ofMillis(250)), Duration.ofMillis(1)));
        RetryPolicy retry = catalog.job("d").orElseThrow().retry();
        assertThat(retry.backoff()).isEqualTo(new Backoff(Duration.ofMillis(250), 3.0, Duration.ofMinutes(5)));
        assertThat(retry.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.action()).isEqualTo(RetryAction.RETRY);
            assertThat(rule.line()).isEqualTo(17);
        });
        assertThat(catalog.warnings()).isEmpty();
    }

    @Test
    void readsEveryRuleCondition() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    local: {command: [x]}
                    retry:
                      maxAttempts: 4
                      rules:
                        - exitCodes: [75, "100-110", 0-3]
                          stopCode: "Spot*"
                          stopReason: "*(OOM)*"
                          timedOut: false
                          lost: false
                          action: RETRY
                        - lost: true
                          action: fail
                """));

        List<RetryRule> rules =
                new CatalogLoader().load(dir).job("a").orElseThrow().retry().rules();

        assertThat(rules)
                .containsExactly(
                        new RetryRule(
                                List.of(ExitCodeRange.of(75), new ExitCodeRange(100, 110), new ExitCodeRange(0, 3)),
                                Optional.of("Spot*"),
                                Optional.of("*(OOM)*"),
                                Optional.of(false),
                                Optional.of(false),
                                RetryAction.RETRY,
                                7),
                        new RetryRule(
                                List.of(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(true),
                                RetryAction.FAIL,
                                13));
    }

    @Test
    void warnsAboutRetryRulesThatCanNeverRetry() {
        CatalogFiles.write(dir, Map.of("jobs.yaml", """
                jobs:
                  one-attempt:
                    local: {command: [x]}
                    retry:
                      rules:
                        - exitCodes: [75]
                          action: RETRY
                  fail-only:
                    local: {command: [x]}
                    retry:
                      maxAttempts: 1
                      rules:
                        - action: FAIL
                  no-retry-rule:
                    local: {command: [x]}
                    retry:
                      maxAttempts: 3
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.jobs()).containsOnlyKeys("one-attempt", "fail-only", "no-retry-rule");
        assertThat(catalog.warnings())
                .extracting(CatalogProblem::toString)
                .containsExactly(
                        "jobs.yaml:5: jobs.one-attempt.retry.rules: rules can never retry: maxAttempts is 1",
                        "jobs.yaml:17: jobs.no-retry-rule.retry.maxAttempts: maxAttempts is 3 but no rule has action"
                                + " RETRY, so failed attempts are never retried");
    }

    @Test
    void warnsAboutStopGraceOnJobsThatCanRunOnEcs() {
        CatalogFiles.write(dir, Map.of("jobs.yaml", """
                jobs:
                  on-ecs:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    local: {command: [x]}
                    timeouts:
                      stopGrace: 10s
                  pinned-local:
                    runtime: local
                    local: {command: [x]}
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    timeouts: {stopGrace: 10s}
                  local-only:
                    local: {command: [x]}
                    timeouts: {stopGrace: 10s}
                  ecs-without-grace:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    timeouts: {run: 1h}
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.job("on-ecs").orElseThrow().timeouts().stopGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(catalog.warnings())
                .extracting(CatalogProblem::toString)
                .containsExactly("jobs.yaml:6: jobs.on-ecs.timeouts.stopGrace: stopGrace is only honoured by the"
                        + " local runtime; on ECS the container's stopTimeout in the task definition applies (max"
                        + " 120 s on Fargate)");
    }

    @Test
    void readsTheMonitorOfTheSampleJobAndOfEveryForm() throws java.io.IOException {
        MonitorSpec billing = new CatalogLoader()
                .load(SAMPLE)
                .job("nightly-billing")
                .orElseThrow()
                .monitor()
                .orElseThrow();
        assertThat(billing.slug()).hasValue("nightly-billing");
        assertThat(billing.url()).isEmpty();
        assertThat(billing.schedule()).hasValue("30 1 * * 2-6");
        assertThat(billing.tz()).hasValue(java.time.ZoneId.of("Asia/Tokyo"));
        assertThat(billing.tags()).containsExactly("billing", "prod");

        java.nio.file.Files.writeString(dir.resolve("a.yaml"), """
                jobs:
                  a:
                    local: {command: [x]}
                    monitor: {url: "https://hc.example.com/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278/", period: 1h, grace: 5m}
                  b:
                    local: {command: [x]}
                """);
        Catalog catalog = new CatalogLoader().load(dir);
        MonitorSpec a = catalog.job("a").orElseThrow().monitor().orElseThrow();
        assertThat(a.url())
                .hasValue(java.net.URI.create("https://hc.example.com/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278"));
        assertThat(a.period()).hasValue(Duration.ofHours(1));
        assertThat(a.grace()).hasValue(Duration.ofMinutes(5));
        assertThat(a.tz()).isEmpty();
        assertThat(catalog.job("b").orElseThrow().monitor()).isEmpty();
    }

    @Test
    void readsConcurrency() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    local: {command: [x]}
                    concurrency: {overlap: allow, maxConcurrent: 3}
                  b:
                    local: {command: [x]}
                    concurrency: {overlap: replace, maxConcurrent: 1}
                  c:
                    local: {command: [x]}
                    concurrency: {overlap: queue, maxQueued: 10000, maxConcurrent: 2}
                """));

        Catalog catalog = new CatalogLoader().load(dir);

        assertThat(catalog.job("a").orElseThrow().concurrency())
                .isEqualTo(new ConcurrencyPolicy(Overlap.ALLOW, 100, Optional.of(3)));
        assertThat(catalog.job("b").orElseThrow().concurrency())
                .isEqualTo(new ConcurrencyPolicy(Overlap.REPLACE, 100, Optional.of(1)));
        assertThat(catalog.job("c").orElseThrow().concurrency())
                .isEqualTo(new ConcurrencyPolicy(Overlap.QUEUE, 10000, Optional.of(2)));
        assertThat(catalog.job("c").orElseThrow().concurrency().slots()).hasValue(2);
    }
}
