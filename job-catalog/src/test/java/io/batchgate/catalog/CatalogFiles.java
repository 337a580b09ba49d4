package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes catalog files into a test's temporary directory and loads them. */
final class CatalogFiles {

    private CatalogFiles() {}

    static Path write(Path directory, Map<String, String> files) {
        files.forEach((name, content) -> {
            try {
                Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return directory;
    }

    /** The {@code toString()} of every problem of a load that must fail. */
    static List<String> problems(Path directory) {
        CatalogException failure =
                catchThrowableOfType(CatalogException.class, () -> new CatalogLoader().load(directory));
        if (failure == null) {
            throw new AssertionError("expected the catalog in " + directory + " to be refused, but it loaded");
        }
        return failure.problems().stream().map(CatalogProblem::toString).toList();
    }
}
