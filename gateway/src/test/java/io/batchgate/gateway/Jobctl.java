package io.batchgate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/jobctl} under {@code dash} — the strictest common POSIX shell, so a
 * bash-ism fails here — as a real process against a gateway's real port.
 */
public final class Jobctl {

    private final Path work;
    private final Map<String, String> env = new HashMap<>();

    public Jobctl(Path work, int port, String token) {
        this.work = work;
        env.put("BATCHGATE_URL", "http://127.0.0.1:" + port);
        env.put("BATCHGATE_TOKEN", token);
        env.put("BATCHGATE_CONFIG", work.resolve("no-config").toString());
        env.put("HOME", work.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("TMPDIR", work.toString());
    }

    public Jobctl with(String name, String value) {
        env.put(name, value);
        return this;
    }

    static Path script() {
        Path fromModule = Path.of("../scripts/jobctl");
        return Files.exists(fromModule)
                ? fromModule.toAbsolutePath()
                : Path.of("scripts/jobctl").toAbsolutePath();
    }

    /**
     * Kills every jobctl this JVM started and still runs, with what it runs (curl): a test that
     * failed before reading a result must not leave a jobctl polling on after it.
     */
    public static void killAllStarted() {
        String script = script().toString();
        ProcessHandle.current()
                .children()
                .filter(process -> process.info()
                        .commandLine()
                        .filter(line -> line.contains(script))
                        .isPresent())
                .forEach(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
    }

    /** Starts jobctl; stdout and stderr go to files, read by {@link Started#result()}. */
    public Started start(String... args) {
        List<String> command = new ArrayList<>(List.of("dash", script().toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "jobctl", ".out");
            Path err = Files.createTempFile(work, "jobctl", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(env);
            // the test run's tag (scripts/test), so that a jobctl left running is found
            String testRun = System.getenv("BATCHGATE_TEST_RUN");
            if (testRun != null) {
                builder.environment().put("BATCHGATE_TEST_RUN", testRun);
            }
            return new Started(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(String... args) {
        return start(args).result();
    }

    public record Started(Process process, Path out, Path err) {

        /** The first line jobctl printed (the run id), once it is there. */
        public String firstLine() {
            try {
                List<String> lines = Files.readAllLines(out);
                return lines.isEmpty() ? null : lines.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Result result() {
            try {
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("jobctl did not end within 120 s; stderr: " + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {

        public String runId() {
            return stdout.lines().findFirst().orElseThrow(() -> new AssertionError("no run id; stderr: " + stderr));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
