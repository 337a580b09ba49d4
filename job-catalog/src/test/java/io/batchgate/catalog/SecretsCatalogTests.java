package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCatalogTests {

    @TempDir
    Path dir;

    private static final String HEAD = """
            jobs:
              billing:
                ecs: {cluster: c, taskDefinition: td, container: app, env: {REGION: eu}}
                params:
                  TARGET: {type: enum, values: [prod, test], required: true}
                  DAY: {type: date}
                secrets:
            """;

    @Test
    void readsSecretsAndResolvesAnEnumPlaceholder() {
        CatalogFiles.write(dir, Map.of("a.yaml", HEAD + """
                      DB_PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${TARGET}
                      API_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api:key::"
                      SMTP: arn:aws:ssm:eu-west-1:123456789012:parameter/smtp/password
                """));

        JobDefinition job = new CatalogLoader().load(dir).jobs().get("billing");

        assertThat(job.secrets()).containsOnlyKeys("DB_PASSWORD", "API_KEY", "SMTP");
        assertThat(job.resolvedSecrets(Map.of("TARGET", "test")))
                .containsExactly(
                        Map.entry("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/test"),
                        Map.entry("API_KEY", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api:key::"),
                        Map.entry("SMTP", "arn:aws:ssm:eu-west-1:123456789012:parameter/smtp/password"));
    }

    @Test
    void aJobWithoutSecretsHasNone() {
        CatalogFiles.write(dir, Map.of("a.yaml", "jobs:\n  a:\n    local: {command: [x]}\n"));

        assertThat(new CatalogLoader().load(dir).jobs().get("a").secrets()).isEmpty();
    }

    @Test
    void reportsEachBadSecretWithFileLineAndField() {
        CatalogFiles.write(dir, Map.of("a.yaml", HEAD + """
                      NOT_AN_ARN: billing/password
                      BY_DATE: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${DAY}
                      UNKNOWN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${NOPE}
                      TARGET: arn:aws:ssm:eu-west-1:123456789012:parameter/x
                      REGION: arn:aws:ssm:eu-west-1:123456789012:parameter/y
                      BATCHGATE_X: arn:aws:ssm:eu-west-1:123456789012:parameter/z
                """));

        assertThat(CatalogFiles.problems(dir))
                .containsExactly(
                        "a.yaml:8: jobs.billing.secrets.NOT_AN_ARN: must be a Secrets Manager secret ARN"
                                + " (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:"
                                + "<version-stage>:<version-id>]) or an SSM parameter ARN"
                                + " (arn:aws:ssm:<region>:<account>:parameter/<name>), found 'billing/password'",
                        "a.yaml:9: jobs.billing.secrets.BY_DATE: ${DAY} must be an enum parameter (its values are"
                                + " checked here), found type date",
                        "a.yaml:10: jobs.billing.secrets.UNKNOWN: ${NOPE} is not a parameter of this job",
                        "a.yaml:11: jobs.billing.secrets.TARGET: clashes with parameter TARGET (params are passed"
                                + " as env)",
                        "a.yaml:12: jobs.billing.secrets.REGION: clashes with the fixed env variable REGION",
                        "a.yaml:13: jobs.billing.secrets.BATCHGATE_X: uses reserved prefix BATCHGATE_ (set by"
                                + " batchgate at launch)");
    }

    @Test
    void everyEnumValueMustGiveAValidArn() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      TARGET: {type: enum, values: [prod, "bad:value:x:y:z"], default: prod}
                    secrets:
                      PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${TARGET}
                """));

        assertThat(CatalogFiles.problems(dir))
                .containsExactly("a.yaml:7: jobs.a.secrets.PASSWORD: with TARGET=bad:value:x:y:z must be a Secrets"
                        + " Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:"
                        + "<version-stage>:<version-id>]) or an SSM parameter ARN"
                        + " (arn:aws:ssm:<region>:<account>:parameter/<name>)");
    }

    @Test
    void anOptionalEnumWithoutDefaultCannotFillASecret() {
        CatalogFiles.write(dir, Map.of("a.yaml", """
                jobs:
                  a:
                    ecs: {cluster: c, taskDefinition: td, container: app}
                    params:
                      TARGET: {type: enum, values: [prod, test]}
                    secrets:
                      PASSWORD: arn:aws:secretsmanager:eu-west-1:123456789012:secret:billing/${TARGET}
                """));

        assertThat(CatalogFiles.problems(dir))
                .containsExactly("a.yaml:7: jobs.a.secrets.PASSWORD: ${TARGET} must be required or have a default:"
                        + " the secret needs its value");
    }
}
