package io.batchgate.catalog.jp1;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One run of {@code jp1-import} in-process: its exit code and what it printed. */
record Jp1Run(int exitCode, String out, String err) {

    /** The corpus, relative to the module directory (where Maven runs the tests). */
    static final Path CORPUS = Path.of("src/test/resources/jp1");

    static Jp1Run of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Jp1ImportCommand()
                .run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Jp1Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Jp1Run into(Path outDir, List<String> options, String... files) {
        List<String> args = new ArrayList<>(List.of("--out", outDir.toString()));
        args.addAll(options);
        args.addAll(List.of(files));
        return of(args.toArray(String[]::new));
    }

    static String corpus(String name) {
        return CORPUS.resolve(name).toString();
    }

    List<String> errLines() {
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
}
