package io.batchgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Collects one benchmark's figures as {@code name: value unit} lines, prints each to stdout as it
 * comes and appends them all, under a {@code #} header naming the benchmark and mode, to
 * {@code bench/results/<yyyy-MM-dd>.txt} (UTC date). The folder comes from the system property
 * {@code bench.results.dir} (set by the {@code bench} Maven profile).
 */
final class BenchReport {

    private final String benchmark;
    private final boolean quick;
    private final List<String> lines = new ArrayList<>();

    BenchReport(String benchmark, boolean quick) {
        this.benchmark = benchmark;
        this.quick = quick;
    }

    /** True when {@code -Dbench.quick=true}: the same benchmarks at small N (CI smoke test). */
    static boolean quick() {
        return Boolean.parseBoolean(System.getProperty("bench.quick", "false"));
    }

    void add(String name, long value, String unit) {
        line(name + ": " + value + " " + unit);
    }

    void add(String name, double value, String unit) {
        line(name + ": " + format(value) + " " + unit);
    }

    /** A benchmark that cannot run yet: {@code name: skipped (why)}. */
    void skipped(String name, String why) {
        line(name + ": skipped (" + why + ")");
    }

    /** A free-text note, printed and stored as a {@code #} comment line. */
    void note(String text) {
        line("# " + text);
    }

    private void line(String line) {
        System.out.println(line);
        lines.add(line);
    }

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** Appends the collected lines to today's results file. */
    void write() {
        Path dir = Path.of(System.getProperty("bench.results.dir", "../bench/results"));
        Path file = dir.resolve(LocalDate.now(ZoneOffset.UTC) + ".txt");
        List<String> out = new ArrayList<>();
        out.add("## " + benchmark + " " + (quick ? "quick" : "full") + " " + Instant.now() + " (nproc "
                + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version")
                + ")");
        out.addAll(lines);
        out.add("");
        try {
            Files.createDirectories(dir);
            Files.write(
                    file,
                    out,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        System.out.println("(appended to " + file.toAbsolutePath().normalize() + ")");
    }

    /** Nearest-rank percentile of {@code values} (p in 0..100). */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
