package io.batchgate.runner.runtime.local;

import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.secrets.OutputScrubber;
import io.batchgate.runner.secrets.OutputScrubbers;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Drops the sealed copy of a final run's secret values ({@code bg_run.secret_scrub}) once the run
 * has been final for the retention, so that no form of the value outlives the run for long. The
 * copy only served to scrub the run's output when it is read, so the local attempts' output files
 * are first rewritten with the values replaced by {@code ******}: the log served afterwards reads
 * the same as before. A run whose output file this replica does not have (another replica ran it)
 * is left to that replica. Secret param values are refused for ECS jobs, so no other runtime keeps
 * output batchgate would have to scrub.
 */
public final class SecretScrubSweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SecretScrubSweeper.class);
    private static final int BATCH = 100;

    private final RunLedger ledger;
    private final JdbcClient jdbc;
    private final AttemptDirectories directories;
    private final OutputScrubbers scrubbers;
    private final Duration retention;
    private final Clock clock;

    public SecretScrubSweeper(
            RunLedger ledger,
            JdbcClient jdbc,
            AttemptDirectories directories,
            OutputScrubbers scrubbers,
            Duration retention,
            Clock clock) {
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.directories = directories;
        this.scrubbers = scrubbers;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void run() {
        sweep();
    }

    /** @return how many runs' copies were dropped */
    public int sweep() {
        int dropped = 0;
        for (RunId run : ledger.finalRunsWithSecretScrub(clock.instant().minus(retention), BATCH)) {
            try {
                if (scrubOutput(run)) {
                    ledger.dropSecretScrub(run);
                    dropped++;
                }
            } catch (IOException | RuntimeException e) {
                log.warn("could not rewrite the output of run {} without its secret values: {}", run, e.toString());
            }
        }
        if (dropped > 0) {
            log.info("dropped the sealed secret values of {} runs final for more than {}", dropped, retention);
        }
        return dropped;
    }

    /** Rewrites every local attempt's output scrubbed; false when one of them is not on this replica. */
    private boolean scrubOutput(RunId run) throws IOException {
        List<Integer> attempts = jdbc.sql(
                        "SELECT number FROM bg_attempt WHERE run_id = :id AND runtime = 'local' AND started_at IS NOT NULL")
                .param("id", run.value())
                .query(Integer.class)
                .list();
        for (int attempt : attempts) {
            if (!Files.exists(directories.directory(new AttemptRef(run, attempt)))) {
                return false;
            }
        }
        OutputScrubber scrubber = scrubbers.of(ledger.secretValues(run));
        if (scrubber.isEmpty()) {
            return true;
        }
        for (int attempt : attempts) {
            Path output = directories.output(run, attempt);
            if (Files.exists(output)) {
                rewrite(output, scrubber);
            }
        }
        return true;
    }

    /**
     * Line by line ({@code \n}, as the log is served) into a new file beside it, then moved over
     * it: a reader sees one or the other. Lines without a value keep their bytes as they were.
     */
    private static void rewrite(Path output, OutputScrubber scrubber) throws IOException {
        Path scrubbed = output.resolveSibling(output.getFileName() + ".scrubbed");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(output));
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(scrubbed))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    write(line, scrubber, out);
                    out.write('\n');
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                write(line, scrubber, out);
            }
        }
        Files.move(scrubbed, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(ByteArrayOutputStream line, OutputScrubber scrubber, OutputStream out)
            throws IOException {
        String text = line.toString(StandardCharsets.UTF_8);
        String masked = scrubber.line(text);
        if (masked.equals(text)) {
            line.writeTo(out);
        } else {
            out.write(masked.getBytes(StandardCharsets.UTF_8));
        }
    }
}
