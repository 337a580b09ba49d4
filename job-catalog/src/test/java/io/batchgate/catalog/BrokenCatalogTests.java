package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokenCatalogTests {

    @TempDir
    Path dir;

    /** A valid job head, so that each case breaks exactly one thing. Lines 1-4. */
    private static final String JOB_A = """
            jobs:
              a:
                local:
                  command: [x]
            """;

    static Stream<Arguments> brokenCatalogs() {
        return Stream.of(
                broken(
                        "unknown top-level key",
                        files("a.yaml", JOB_A + "version: 2\n"),
                        "a.yaml:5: version: unknown key 'version' (allowed: jobs, nets)"),
                broken(
                        "unknown job key",
                        files("a.yaml", JOB_A + "    timeout: 5\n"),
                        "a.yaml:5: jobs.a.timeout: unknown key 'timeout'"
                                + " (allowed: description, runtime, local, ecs, params, exitCodes, retry, timeouts,"
                                + " concurrency, monitor, secrets, schedule)"),
                broken(
                        "bad job name",
                        files("a.yaml", """
                                jobs:
                                  Nightly_Billing:
                                    local:
                                      command: [x]
                                """),
                        "a.yaml:2: jobs.Nightly_Billing: job name must match [a-z0-9][a-z0-9-]{0,62}"),
                broken(
                        "job name longer than 63 characters",
                        files("a.yaml", "jobs:\n  " + "j".repeat(64) + ":\n    local:\n      command: [x]\n"),
                        "a.yaml:2: jobs." + "j".repeat(64) + ": job name must match [a-z0-9][a-z0-9-]{0,62}"),
                broken(
                        "duplicate job across two files",
                        files("a.yaml", JOB_A, "b.yaml", """
                                jobs:
                                  b:
                                    local:
                                      command: [x]
                                  a:
                                    local:
                                      command: [y]
                                """),
                        "b.yaml:5: jobs.a: duplicate job name, already defined at a.yaml:2"),
                broken(
                        "duplicate key in one mapping",
                        files("a.yaml", """
                                jobs:
                                  a:
                                    description: one
                                    local:
                                      command: [x]
                                    description: two
                                """),
                        "a.yaml:6: jobs.a.description: duplicate key, first defined at line 3"),
                broken(
                        "param name not an upper-case env name",
                        files("a.yaml", JOB_A + "    params:\n      greeting:\n        type: string\n"),
                        "a.yaml:6: jobs.a.params.greeting: parameter name must be an upper-case environment"
                                + " variable name matching [A-Z][A-Z0-9_]*"),
                broken(
                        "reserved prefix AWS_",
                        files("a.yaml", JOB_A + "    params:\n      AWS_REGION:\n        type: string\n"),
                        "a.yaml:6: jobs.a.params.AWS_REGION: parameter name uses reserved prefix AWS_"
                                + " (reserved: AWS_, ECS_, BATCHGATE_)"),
                broken(
                        "reserved prefix ECS_",
                        files("a.yaml", JOB_A + "    params:\n      ECS_CLUSTER:\n        type: string\n"),
                        "a.yaml:6: jobs.a.params.ECS_CLUSTER: parameter name uses reserved prefix ECS_"
                                + " (reserved: AWS_, ECS_, BATCHGATE_)"),
                broken(
                        "reserved prefix BATCHGATE_",
                        files("a.yaml", JOB_A + "    params:\n      BATCHGATE_RUN_ID:\n        type: string\n"),
                        "a.yaml:6: jobs.a.params.BATCHGATE_RUN_ID: parameter name uses reserved prefix BATCHGATE_"
                                + " (reserved: AWS_, ECS_, BATCHGATE_)"),
                broken(
                        "unknown param type",
                        files("a.yaml", JOB_A + "    params:\n      RATE:\n        type: float\n"),
                        "a.yaml:7: jobs.a.params.RATE.type: must be one of string, int, bool, date, enum,"
                                + " found 'float'"),
                broken(
                        "missing param type",
                        files("a.yaml", JOB_A + "    params:\n      RATE:\n        description: no type\n"),
                        "a.yaml:6: jobs.a.params.RATE.type: required"),
                broken(
                        "regular expression that does not compile",
                        files(
                                "a.yaml",
                                JOB_A + "    params:\n      P:\n        type: string\n        pattern: \"(ab\"\n"),
                        "a.yaml:8: jobs.a.params.P.pattern: invalid regular expression: Unclosed group near index 3"),
                broken(
                        "maxLength not an integer",
                        files("hello.yaml", """
                                jobs:
                                  hello:
                                    local:
                                      command: [x]
                                    params:
                                      GREETING:
                                        type: string
                                        maxLength: abc
                                """),
                        "hello.yaml:8: jobs.hello.params.GREETING.maxLength: must be an integer from 1 to 4096,"
                                + " found 'abc'"),
                broken(
                        "maxLength out of range",
                        files(
                                "a.yaml",
                                JOB_A + "    params:\n      P:\n        type: string\n        maxLength: 5000\n"),
                        "a.yaml:8: jobs.a.params.P.maxLength: must be an integer from 1 to 4096, found integer 5000"),
                broken(
                        "min greater than max",
                        files("a.yaml", JOB_A + """
                                    params:
                                      N:
                                        type: int
                                        min: 10
                                        max: 5
                                """),
                        "a.yaml:8: jobs.a.params.N.min: min 10 is greater than max 5"),
                broken(
                        "enum without values",
                        files("a.yaml", JOB_A + "    params:\n      MODE:\n        type: enum\n"),
                        "a.yaml:6: jobs.a.params.MODE.values: required for type enum"),
                broken(
                        "values on a non-enum",
                        files(
                                "a.yaml",
                                JOB_A + "    params:\n      MODE:\n        type: string\n        values: [a]\n"),
                        "a.yaml:8: jobs.a.params.MODE.values: only allowed for type enum"),
                broken(
                        "min on a non-int, pattern on a non-string",
                        files("a.yaml", JOB_A + """
                                    params:
                                      D:
                                        type: date
                                        min: 1
                                        pattern: x
                                """),
                        "a.yaml:8: jobs.a.params.D.min: only allowed for type int",
                        "a.yaml:9: jobs.a.params.D.pattern: only allowed for type string"),
                broken(
                        "default not valid for its type",
                        files("a.yaml", JOB_A + """
                                    params:
                                      N:
                                        type: int
                                        default: abc
                                      DAY:
                                        type: date
                                        default: 2026-02-30
                                """),
                        "a.yaml:8: jobs.a.params.N.default: invalid default: must be an integer, found 'abc'",
                        "a.yaml:11: jobs.a.params.DAY.default: invalid default: is not a valid calendar date,"
                                + " found '2026-02-30'"),
                broken(
                        "required with a default",
                        files("a.yaml", JOB_A + """
                                    params:
                                      P:
                                        type: string
                                        required: true
                                        default: x
                                """),
                        "a.yaml:9: jobs.a.params.P.default: not allowed when required is true"),
                broken(
                        "exit code both success and warning",
                        files("a.yaml", JOB_A + """
                                    exitCodes:
                                      success: [0, 1]
                                      warning:
                                        - 2
                                        - 1
                                """),
                        "a.yaml:9: jobs.a.exitCodes.warning[1]: exit code 1 is also listed in success"),
                broken(
                        "exit code out of range",
                        files("a.yaml", JOB_A + "    exitCodes:\n      success: [0, 256]\n"),
                        "a.yaml:6: jobs.a.exitCodes.success[1]: must be an integer from 0 to 255, found integer 256"),
                broken(
                        "no target at all",
                        files("a.yaml", "jobs:\n  a:\n    description: nothing to run\n"),
                        "a.yaml:2: jobs.a: must define at least one of local, ecs"),
                broken(
                        "runtime ecs without an ecs section",
                        files("a.yaml", JOB_A + "    runtime: ecs\n"),
                        "a.yaml:5: jobs.a.runtime: runtime ecs is set but the job has no ecs section"),
                broken(
                        "launchType and capacityProviderStrategy both",
                        files("a.yaml", """
                                jobs:
                                  a:
                                    ecs:
                                      cluster: c
                                      taskDefinition: td:1
                                      container: app
                                      launchType: FARGATE
                                      capacityProviderStrategy:
                                        - provider: FARGATE_SPOT
                                """),
                        "a.yaml:8: jobs.a.ecs.capacityProviderStrategy: not allowed together with launchType"),
                broken("missing ecs.cluster", files("a.yaml", """
                                jobs:
                                  a:
                                    ecs:
                                      taskDefinition: td
                                      container: app
                                """), "a.yaml:3: jobs.a.ecs.cluster: required"),
                broken(
                        "bad ecs values",
                        files("a.yaml", """
                                jobs:
                                  a:
                                    ecs:
                                      cluster: c
                                      taskDefinition: "td:latest"
                                      container: app
                                      launchType: fargate
                                      cpu: "1024"
                                      taskRole: billing-role
                                      network:
                                        assignPublicIp: "no"
                                """),
                        "a.yaml:5: jobs.a.ecs.taskDefinition: must be a task definition family, family:revision"
                                + " or ARN, found 'td:latest'",
                        "a.yaml:7: jobs.a.ecs.launchType: must be one of FARGATE, EC2, EXTERNAL, found 'fargate'",
                        "a.yaml:8: jobs.a.ecs.cpu: must be an integer of at least 1, found '1024'",
                        "a.yaml:9: jobs.a.ecs.taskRole: must be an IAM role ARN"
                                + " (arn:aws:iam::<account>:role/<name>), found 'billing-role'",
                        "a.yaml:10: jobs.a.ecs.network.subnets: required",
                        "a.yaml:11: jobs.a.ecs.network.assignPublicIp: must be true or false, found 'no'"),
                broken(
                        "empty command",
                        files("a.yaml", "jobs:\n  a:\n    local:\n      command: []\n"),
                        "a.yaml:4: jobs.a.local.command: must not be empty"),
                broken(
                        "command item not a string",
                        files("a.yaml", "jobs:\n  a:\n    local:\n      command: [sleep, 5]\n"),
                        "a.yaml:4: jobs.a.local.command[1]: must be a string, found integer 5"),
                broken(
                        "fixed env names",
                        files("a.yaml", """
                                jobs:
                                  a:
                                    local:
                                      command: [x]
                                      env:
                                        bad-name: x
                                        BATCHGATE_RUN_ID: y
                                        MODE: z
                                    params:
                                      MODE:
                                        type: string
                                """),
                        "a.yaml:6: jobs.a.local.env.bad-name: must be an environment variable name matching"
                                + " [A-Za-z_][A-Za-z0-9_]*",
                        "a.yaml:7: jobs.a.local.env.BATCHGATE_RUN_ID: uses reserved prefix BATCHGATE_"
                                + " (set by batchgate at launch)",
                        "a.yaml:8: jobs.a.local.env.MODE: clashes with parameter MODE (params are passed as env)"),
                broken(
                        "unknown keys in retry, backoff, a rule, timeouts and concurrency",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      attempts: 3
                                      backoff: {initial: 1s, factor: 2}
                                      rules:
                                        - exitCode: 75
                                          action: RETRY
                                    timeouts: {run: 1h, kill: 5s}
                                    concurrency: {overlap: forbid, policy: skip}
                                """),
                        "a.yaml:6: jobs.a.retry.attempts: unknown key 'attempts' (allowed: maxAttempts, backoff,"
                                + " rules)",
                        "a.yaml:7: jobs.a.retry.backoff.factor: unknown key 'factor' (allowed: initial,"
                                + " multiplier, max)",
                        "a.yaml:9: jobs.a.retry.rules[0].exitCode: unknown key 'exitCode' (allowed: exitCodes,"
                                + " stopCode, stopReason, timedOut, startTimedOut, lost, action)",
                        "a.yaml:11: jobs.a.timeouts.kill: unknown key 'kill' (allowed: run, start, stopGrace)",
                        "a.yaml:12: jobs.a.concurrency.policy: unknown key 'policy' (allowed: overlap, maxQueued,"
                                + " maxConcurrent)"),
                broken(
                        "maxAttempts out of range",
                        files("a.yaml", JOB_A + "    retry:\n      maxAttempts: 11\n"),
                        "a.yaml:6: jobs.a.retry.maxAttempts: must be an integer from 1 to 10, found integer 11"),
                broken(
                        "maxAttempts zero",
                        files("a.yaml", JOB_A + "    retry:\n      maxAttempts: 0\n"),
                        "a.yaml:6: jobs.a.retry.maxAttempts: must be an integer from 1 to 10, found integer 0"),
                broken(
                        "bad durations",
                        files("a.yaml", JOB_A + """
                                    timeouts:
                                      run: 2 hours
                                      start: 0s
                                      stopGrace: 30
                                """),
                        "a.yaml:6: jobs.a.timeouts.run: must be a duration such as 500ms, 30s, 10m, 2h, 1d or"
                                + " PT30S, found '2 hours'",
                        "a.yaml:7: jobs.a.timeouts.start: must be a positive duration, found '0s'",
                        "a.yaml:8: jobs.a.timeouts.stopGrace: must be a duration such as 500ms, 30s, 10m, 2h, 1d"
                                + " or PT30S, found integer 30"),
                broken(
                        "duration beyond a year, ISO-8601 duration that is negative",
                        files("a.yaml", JOB_A + "    timeouts:\n      run: 400d\n      start: PT-5M\n"),
                        "a.yaml:6: jobs.a.timeouts.run: must be at most 365d, found '400d'",
                        "a.yaml:7: jobs.a.timeouts.start: must be a positive duration, found 'PT-5M'"),
                broken(
                        "stopGrace longer than an hour",
                        files("a.yaml", JOB_A + "    timeouts:\n      stopGrace: 90m\n"),
                        "a.yaml:6: jobs.a.timeouts.stopGrace: must be at most 1h, found '90m'"),
                broken(
                        "backoff multiplier out of range and not a number",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      backoff:
                                        multiplier: 0.5
                                  b:
                                    local: {command: [x]}
                                    retry:
                                      backoff: {multiplier: double}
                                """),
                        "a.yaml:7: jobs.a.retry.backoff.multiplier: must be a number from 1.0 to 10.0,"
                                + " found number 0.5",
                        "a.yaml:11: jobs.b.retry.backoff.multiplier: must be a number from 1.0 to 10.0,"
                                + " found 'double'"),
                broken(
                        "backoff max less than initial",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      backoff:
                                        initial: 1m
                                        max: 30s
                                """),
                        "a.yaml:8: jobs.a.retry.backoff.max: max 30s is less than initial 1m"),
                broken(
                        "backoff initial beyond the default max",
                        files("a.yaml", JOB_A + "    retry:\n      backoff: {initial: 20m}\n"),
                        "a.yaml:6: jobs.a.retry.backoff.initial: initial 20m is greater than the default max 10m"
                                + " (set max too)"),
                broken(
                        "exit code ranges: backwards, beyond 255, not a range, out of range, empty list",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      maxAttempts: 2
                                      rules:
                                        - exitCodes: ["110-100", "250-300", "75", 256, -1]
                                          action: RETRY
                                        - exitCodes: []
                                          action: RETRY
                                """),
                        "a.yaml:8: jobs.a.retry.rules[0].exitCodes[0]: range 110-100 is backwards: 110 is"
                                + " greater than 100",
                        "a.yaml:8: jobs.a.retry.rules[0].exitCodes[1]: range 250-300 goes beyond 255 (exit codes"
                                + " are 0 to 255)",
                        "a.yaml:8: jobs.a.retry.rules[0].exitCodes[2]: must be an exit code from 0 to 255 or a"
                                + " range such as \"100-110\", found '75'",
                        "a.yaml:8: jobs.a.retry.rules[0].exitCodes[3]: must be an integer from 0 to 255,"
                                + " found integer 256",
                        "a.yaml:8: jobs.a.retry.rules[0].exitCodes[4]: must be an integer from 0 to 255,"
                                + " found integer -1",
                        "a.yaml:10: jobs.a.retry.rules[1].exitCodes: must not be empty"),
                broken(
                        "rule without action, with a bad action, with empty and mistyped conditions",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      maxAttempts: 3
                                      rules:
                                        - stopCode: SpotInterruption
                                        - stopReason: ""
                                          action: Retry
                                        - timedOut: "yes"
                                          action: retry
                                        - RETRY
                                """),
                        "a.yaml:8: jobs.a.retry.rules[0].action: required",
                        "a.yaml:9: jobs.a.retry.rules[1].stopReason: must not be empty",
                        "a.yaml:10: jobs.a.retry.rules[1].action: must be one of RETRY, FAIL, found 'Retry'",
                        "a.yaml:11: jobs.a.retry.rules[2].timedOut: must be true or false, found 'yes'",
                        "a.yaml:13: jobs.a.retry.rules[3]: must be a mapping, found 'RETRY'"),
                broken(
                        "rules not a list; lost together with exitCodes",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      maxAttempts: 2
                                      rules: {action: RETRY}
                                  b:
                                    local: {command: [x]}
                                    retry:
                                      maxAttempts: 2
                                      rules:
                                        - exitCodes: [1]
                                          lost: true
                                          action: RETRY
                                """),
                        "a.yaml:7: jobs.a.retry.rules: must be a list, found a mapping",
                        "a.yaml:14: jobs.b.retry.rules[0].lost: lost: true never matches together with exitCodes"
                                + " (a lost attempt has no exit code)"),
                broken(
                        "startTimedOut together with timedOut",
                        files("a.yaml", JOB_A + """
                                    retry:
                                      maxAttempts: 2
                                      rules:
                                        - timedOut: true
                                          startTimedOut: true
                                          action: RETRY
                                """),
                        "a.yaml:9: jobs.a.retry.rules[0].startTimedOut: startTimedOut: true never matches together"
                                + " with timedOut: true (a start timeout stops a task that is not running yet, the run"
                                + " timeout one that is)"),
                broken(
                        "unknown overlap",
                        files("a.yaml", JOB_A + "    concurrency:\n      overlap: skip\n"),
                        "a.yaml:6: jobs.a.concurrency.overlap: must be one of allow, forbid, replace, queue,"
                                + " found 'skip'"),
                broken(
                        "maxQueued without overlap queue",
                        files("a.yaml", JOB_A + """
                                    concurrency:
                                      maxQueued: 5
                                  b:
                                    local: {command: [x]}
                                    concurrency: {overlap: forbid, maxQueued: 5}
                                """),
                        "a.yaml:6: jobs.a.concurrency.maxQueued: only allowed with overlap queue",
                        "a.yaml:9: jobs.b.concurrency.maxQueued: only allowed with overlap queue"),
                broken(
                        "maxQueued and maxConcurrent out of range",
                        files("a.yaml", JOB_A + """
                                    concurrency:
                                      overlap: queue
                                      maxQueued: 0
                                      maxConcurrent: 10001
                                """),
                        "a.yaml:7: jobs.a.concurrency.maxQueued: must be an integer from 1 to 10000, found integer 0",
                        "a.yaml:8: jobs.a.concurrency.maxConcurrent: must be an integer from 1 to 10000,"
                                + " found integer 10001"),
                broken(
                        "maxConcurrent above 1 with forbid or replace",
                        files("a.yaml", JOB_A + """
                                    concurrency: {overlap: forbid, maxConcurrent: 2}
                                  b:
                                    local: {command: [x]}
                                    concurrency:
                                      overlap: replace
                                      maxConcurrent: 3
                                """),
                        "a.yaml:5: jobs.a.concurrency.maxConcurrent: must be 1 with overlap forbid (one run at a"
                                + " time), found integer 2",
                        "a.yaml:10: jobs.b.concurrency.maxConcurrent: must be 1 with overlap replace (one run at"
                                + " a time), found integer 3"),
                broken(
                        "policy sections that are not mappings",
                        files("a.yaml", JOB_A + "    retry: 3\n    timeouts: [1h]\n    concurrency: forbid\n"),
                        "a.yaml:5: jobs.a.retry: must be a mapping, found integer 3",
                        "a.yaml:6: jobs.a.timeouts: must be a mapping, found a list",
                        "a.yaml:7: jobs.a.concurrency: must be a mapping, found 'forbid'"),
                broken(
                        "monitor with both url and slug, or neither",
                        files("a.yaml", JOB_A + """
                                    monitor: {url: "https://hc-ping.com/abc", slug: a}
                                  b:
                                    local: {command: [x]}
                                    monitor:
                                      tags: [nightly]
                                """),
                        "a.yaml:5: jobs.a.monitor.slug: set url or slug, not both",
                        "a.yaml:8: jobs.b.monitor: needs url (a full ping URL) or slug"),
                broken(
                        "monitor values Healthchecks would refuse",
                        files("a.yaml", JOB_A + """
                                    monitor:
                                      url: "ftp://hc-ping.com/abc"
                                      schedule: "every night"
                                      tz: Mars/Olympus
                                      period: 30s
                                      grace: 2y
                                      tags: ["two words"]
                                  b:
                                    local: {command: [x]}
                                    monitor: {slug: Nightly Billing, tz: UTC, period: 1d}
                                  c:
                                    local: {command: [x]}
                                    monitor: {slug: c, schedule: "0 2 * * *", period: 1d}
                                """),
                        "a.yaml:6: jobs.a.monitor.url: must be an absolute http(s) ping URL without query (like"
                                + " https://hc-ping.com/<uuid>), found 'ftp://hc-ping.com/abc'",
                        "a.yaml:7: jobs.a.monitor.schedule: must be a cron expression of 5 fields (like \"0 2 * * *\"),"
                                + " found 'every night'",
                        "a.yaml:8: jobs.a.monitor.tz: must be a time zone like Europe/Paris or UTC, found"
                                + " 'Mars/Olympus'",
                        "a.yaml:9: jobs.a.monitor.period: must be from 1m to 365d (Healthchecks' limits), found '30s'",
                        "a.yaml:9: jobs.a.monitor.period: set schedule or period, not both",
                        "a.yaml:10: jobs.a.monitor.grace: must be a duration such as 500ms, 30s, 10m, 2h, 1d or PT30S,"
                                + " found '2y'",
                        "a.yaml:11: jobs.a.monitor.tags: tags must be non-empty and contain no spaces, found 'two words'",
                        "a.yaml:14: jobs.b.monitor.slug: must match [a-z0-9_-]{1,100} (Healthchecks' slug alphabet)",
                        "a.yaml:14: jobs.b.monitor.tz: only allowed with schedule",
                        "a.yaml:17: jobs.c.monitor.period: set schedule or period, not both"),
                broken(
                        "YAML syntax error",
                        files("a.yaml", """
                                jobs:
                                  a:
                                    description: "unterminated
                                    local:
                                      command: [x]
                                """),
                        "a.yaml:6: (yaml): while scanning a quoted scalar at line 3: found unexpected end of stream"),
                broken(
                        "list where a mapping is expected",
                        files("a.yaml", JOB_A + "    params: [A, B]\n"),
                        "a.yaml:5: jobs.a.params: must be a mapping, found a list"),
                broken(
                        "string where a string list is expected",
                        files("a.yaml", "jobs:\n  a:\n    local:\n      command: echo hi\n"),
                        "a.yaml:4: jobs.a.local.command: must be a list, found 'echo hi'"),
                broken(
                        "document not a mapping",
                        files("a.yaml", "- jobs\n"),
                        "a.yaml:1: (document): must be a mapping with the key jobs or nets, found a list"),
                broken("empty file", files("a.yaml", "# nothing yet\n"), "a.yaml:1: jobs: required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCatalogs")
    void reportsEveryProblemWithFileLineAndField(String name, Map<String, String> files, List<String> expected) {
        CatalogFiles.write(dir, files);

        assertThat(CatalogFiles.problems(dir)).containsExactlyElementsOf(expected);
    }

    @Test
    void emptyDirectoryIsAnError() {
        assertThat(CatalogFiles.problems(dir))
                .containsExactly(dir + ":0: (catalog): no *.yaml or *.yml files in the directory");
    }

    @Test
    void missingDirectoryIsAnError() {
        Path missing = dir.resolve("missing");

        assertThat(CatalogFiles.problems(missing)).containsExactly(missing + ":0: (catalog): directory does not exist");
    }

    @Test
    void ignoresOtherFilesAndSubdirectories() throws Exception {
        CatalogFiles.write(dir, files("README.md", "not: [yaml", "a.yml", JOB_A));
        Files.createDirectory(dir.resolve("sub.yaml"));

        assertThat(new CatalogLoader().load(dir).jobs()).containsOnlyKeys("a");
    }

    @Test
    void reportsSeveralErrorsInSeveralFilesInOneLoad() {
        CatalogFiles.write(
                dir,
                files(
                        "a.yaml",
                        JOB_A + "    params:\n      lower:\n        type: text\n",
                        "b.yaml",
                        "jobs:\n  b:\n    local:\n      command: []\n    exitCodes:\n      success: [-1]\n",
                        "c.yml",
                        "jobs:\n  a:\n    runtime: docker\n    local:\n      command: [x]\n",
                        "d.yaml",
                        "jobs: [\n"));

        assertThat(CatalogFiles.problems(dir))
                .containsExactly(
                        "a.yaml:6: jobs.a.params.lower: parameter name must be an upper-case environment variable"
                                + " name matching [A-Z][A-Z0-9_]*",
                        "a.yaml:7: jobs.a.params.lower.type: must be one of string, int, bool, date, enum,"
                                + " found 'text'",
                        "b.yaml:4: jobs.b.local.command: must not be empty",
                        "b.yaml:6: jobs.b.exitCodes.success[0]: must be an integer from 0 to 255, found integer -1",
                        "c.yml:2: jobs.a: duplicate job name, already defined at a.yaml:2",
                        "c.yml:3: jobs.a.runtime: must be one of local, ecs, found 'docker'",
                        "d.yaml:2: (yaml): while parsing a flow node at line 2: expected the node content, but found '<stream end>'");
    }

    @Test
    void exceptionMessageHasOneProblemPerLine() {
        CatalogFiles.write(dir, files("a.yaml", "jobs:\n  a: {}\n  B: {}\n"));

        CatalogException failure = catchThrowableOfType(CatalogException.class, () -> new CatalogLoader().load(dir));

        assertThat(failure.getMessage())
                .isEqualTo("a.yaml:2: jobs.a: must define at least one of local, ecs\n"
                        + "a.yaml:3: jobs.B: job name must match [a-z0-9][a-z0-9-]{0,62}\n"
                        + "a.yaml:3: jobs.B: must define at least one of local, ecs");
    }

    private static Arguments broken(String name, Map<String, String> files, String... expected) {
        return Arguments.of(name, files, List.of(expected));
    }

    private static Map<String, String> files(String... namesAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            files.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return files;
    }
}
