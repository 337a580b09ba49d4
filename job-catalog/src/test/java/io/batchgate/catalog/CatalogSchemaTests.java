package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON Schema editors use agrees with the loader on the sample and on broken files. */
class CatalogSchemaTests {

    private static final Schema SCHEMA = loadSchema();

    static Stream<Path> sampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(CatalogLoaderTests.SAMPLE)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("sampleFiles")
    void acceptsEverySampleFile(Path file) throws IOException {
        assertThat(validate(Files.readString(file))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jobs:\n  a:\n    runtime: ecs\n    ecs: {cluster: c, taskDefinition: td, container: app,"
                        + " launchType: FARGATE}\n",
                "jobs:\n  a:\n    local: {command: [x], env: {lang: C}}\n    params:\n"
                        + "      N: {type: int, min: 1, max: 2, default: 1}\n      D: {type: date, required: true}\n",
                "jobs:\n",
                "jobs:\n  a:\n    local: {command: [x]}\n    retry:\n      maxAttempts: 3\n"
                        + "      backoff: {initial: 30s, multiplier: 1.5, max: PT10M}\n      rules:\n"
                        + "        - {exitCodes: [75, \"100-110\"], action: RETRY}\n"
                        + "        - {stopCode: \"Spot*\", stopReason: \"*pull*\", timedOut: false, action: retry}\n"
                        + "        - {lost: true, action: FAIL}\n"
                        + "    timeouts: {run: 2h, start: 10m, stopGrace: 500ms}\n"
                        + "    concurrency: {overlap: queue, maxQueued: 10, maxConcurrent: 2}\n",
                "jobs:\n  a:\n    local: {command: [x]}\n    monitor: {url: \"https://hc-ping.com/5bf6\", period: 1d,"
                        + " grace: 30m, tags: [a, b]}\n",
                "jobs:\n  a:\n    local: {command: [x]}\n    schedule: {calendar: jp, tz: Asia/Tokyo,"
                        + " days: {businessDay: -1}, at: [\"09:00\", \"47:59\"], ifClosed: next, catchUp: all,"
                        + " catchUpMax: 3, grace: 15m, until: 2027-03-31}\n",
                "jobs:\n  a:\n    local: {command: [x]}\n    schedule: {cron: \"0 2 * * 1-5\"}\n",
                "nets:\n  n:\n    params: {D: {type: string}}\n    schedule: {days: every-day, at: \"25:30\","
                        + " params: {D: \"${AJSEXDATE}\"}}\n    members: {a: {job: a}}\n"
            })
    void acceptsValidDocuments(String yaml) {
        assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void sampleHasFourFiles() throws IOException {
        assertThat(sampleFiles()).hasSize(5);
    }

    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
                Arguments.of("jobs:\n  a:\n    local: {command: [x]}\n    timeout: 5\n", "'timeout' is not defined"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    params:\n      AWS_REGION: {type: string}\n",
                        "'AWS_REGION' name is not valid"),
                Arguments.of(
                        "jobs:\n  a:\n    ecs:\n      cluster: c\n      taskDefinition: td\n      container: app\n"
                                + "      launchType: FARGATE\n      capacityProviderStrategy: [{provider: FARGATE}]\n",
                        "mutually exclusive"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    params:\n      M: {type: enum}\n",
                        "required property 'values' not found"),
                Arguments.of("jobs:\n  a:\n    description: nothing\n", "required property 'local' not found"),
                Arguments.of("jobs:\n  Bad_Name:\n    local: {command: [x]}\n", "'Bad_Name' name is not valid"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    retry:\n      maxAttempts: 11\n",
                        "must have a maximum value of 10"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    retry:\n      rules: [{exitCodes: [75]}]\n",
                        "required property 'action' not found"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    timeouts: {run: 2 hours}\n",
                        "does not match the regex pattern"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    concurrency: {overlap: forbid, maxQueued: 5}\n",
                        "must not be valid"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    monitor: {url: \"https://h/x\", slug: a}\n",
                        "one and only one"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    monitor: {slug: a, schedule: \"0 2 * * *\", period: 1d}\n",
                        "must not be valid"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    schedule: {days: every-day, at: \"48:00\"}\n",
                        "does not match the regex pattern"),
                Arguments.of(
                        "jobs:\n  a:\n    local: {command: [x]}\n    schedule: {cron: \"0 2 * * *\", at: \"02:00\"}\n",
                        "one and only one"),
                Arguments.of(
                        "nets:\n  n:\n    schedule: {days: every-day, at: \"48:00\"}\n    members: {a: {job: a}}\n",
                        "does not match the regex pattern"));
    }

    @ParameterizedTest
    @MethodSource("brokenDocuments")
    void rejectsBrokenDocuments(String yaml, String reason) {
        assertThat(validate(yaml)).extracting(Error::toString).anySatisfy(error -> assertThat(error)
                .contains(reason));
    }

    @Test
    void isPackagedInTheJar() throws IOException {
        try (InputStream schema = getClass().getResourceAsStream("/batchgate/catalog.schema.json");
                InputStream hello = getClass().getResourceAsStream("/batchgate/sample-catalog/hello.yaml")) {
            assertThat(schema).isNotNull();
            assertThat(hello).isNotNull();
        }
    }

    private static List<Error> validate(String yaml) {
        return SCHEMA.validate(yaml, InputFormat.YAML);
    }

    private static Schema loadSchema() {
        try (InputStream schema = Files.newInputStream(Path.of("schema/catalog.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(schema, InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
