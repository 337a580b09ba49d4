package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.CatalogProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Imports each sample of the corpus and compares every file written (catalog YAML, calendars, both reports) with its
 * golden copy in {@code src/test/resources/jp1/golden/<sample>/}, byte for byte. After a deliberate change of the
 * output, regenerate the goldens and review their diff:
 *
 * <pre>
 * mvn -o -pl job-catalog test -Dtest=Jp1ImportGoldenTests -Djp1.golden.update=true
 * </pre>
 */
class Jp1ImportGoldenTests {

    static final Path GOLDEN = Jp1Run.CORPUS.resolve("golden");
    static final boolean UPDATE = Boolean.getBoolean("jp1.golden.update");

    @TempDir
    Path dir;

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("sample-night", List.of(), Jp1ImportCommand.INCOMPLETE),
                Arguments.of(
                        "jobs",
                        List.of(
                                "--ecs-cluster",
                                "batch-prod",
                                "--task-definition",
                                "nightly:3",
                                "--container",
                                "batch"),
                        Jp1ImportCommand.INCOMPLETE),
                Arguments.of("flow", List.of(), Jp1ImportCommand.INCOMPLETE),
                Arguments.of("schedules", List.of("--time-zone", "Europe/Paris"), Jp1ImportCommand.INCOMPLETE),
                Arguments.of("japanese", List.of(), Jp1ImportCommand.ALL_MAPPED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void writesTheGoldenFiles(String sample, List<String> options, int exitCode) throws IOException {
        Path out = dir.resolve(sample);

        Jp1Run run = Jp1Run.into(out, options, Jp1Run.corpus(sample + ".ajsprint"));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(exitCode);
        SortedMap<String, String> written = files(out);
        Path golden = GOLDEN.resolve(sample);
        if (UPDATE) {
            replace(golden, written);
        }
        SortedMap<String, String> expected = files(golden);
        assertThat(written.keySet()).containsExactlyElementsOf(expected.keySet());
        written.forEach((name, content) -> assertThat(content)
                .as("%s differs from %s (regenerate with -Djp1.golden.update=true)", name, golden.resolve(name))
                .isEqualTo(expected.get(name)));
    }

    /** The whole output (jobs, nets with their schedules, calendars) loads with the CatalogLoader without an error. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theWholeOutputLoadsWithTheCatalogLoader(String sample, List<String> options, int exitCode) throws IOException {
        Path out = dir.resolve(sample);
        Jp1Run.into(out, options, Jp1Run.corpus(sample + ".ajsprint"));

        CatalogLoader.Result result = new CatalogLoader().read(out);

        assertThat(result.errors()).extracting(CatalogProblem::toString).isEmpty();
        assertThat(result.catalog()).isPresent();
        assertThat(result.catalog().get().jobs()).isNotEmpty();
        if (!options.contains("--jobs-only")) {
            try (Stream<Path> nets = Files.list(out)) {
                long netFiles = nets.filter(f -> f.getFileName().toString().endsWith(".net.yaml"))
                        .count();
                assertThat(netFiles == 0 || !result.catalog().get().nets().isEmpty())
                        .as("every written net loads")
                        .isTrue();
            }
        }
    }

    static SortedMap<String, String> files(Path root) throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(
                        root.relativize(file).toString().replace('\\', '/'),
                        Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static void replace(Path golden, SortedMap<String, String> written) throws IOException {
        if (Files.isDirectory(golden)) {
            try (Stream<Path> walk = Files.walk(golden)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        for (var file : written.entrySet()) {
            Path target = golden.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
