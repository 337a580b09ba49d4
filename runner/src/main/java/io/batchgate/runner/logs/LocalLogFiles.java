package io.batchgate.runner.logs;

import io.batchgate.runner.run.Attempt;
import io.batchgate.runner.run.RunId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the output files the local runtime writes ({@code output.log}, stdout and stderr merged):
 * the embedded default log source. The cursor is a byte offset; while the attempt runs only whole
 * lines are served, so a line being written is never split or served twice.
 */
public class LocalLogFiles implements LogSource {

    static final int PAGE_BYTES = 256 * 1024;

    private final LocalOutputFiles directories;

    public LocalLogFiles(LocalOutputFiles directories) {
        this.directories = directories;
    }

    /** Whether this machine holds the attempt's output file (another replica's attempts are elsewhere). */
    public boolean exists(RunId runId, int attempt) {
        return Files.exists(directories.output(runId, attempt));
    }

    /** The attempt's output file, for forwarding. */
    public Path file(RunId runId, int attempt) {
        return directories.output(runId, attempt);
    }

    @Override
    public LogPage read(RunId runId, Attempt attempt, String cursor) {
        long offset = cursor.isEmpty() ? 0 : Long.parseLong(cursor);
        Chunk chunk = readLines(directories.output(runId, attempt.number()), offset, !attempt.isActive());
        return new LogPage(chunk.lines(), String.valueOf(chunk.next()));
    }

    @Override
    public Drain drain() {
        return Drain.IMMEDIATE;
    }

    /** Whole lines from {@code offset}; with {@code ended}, an unterminated last line too. */
    static Chunk readLines(Path file, long offset, boolean ended) {
        ByteBuffer buffer = ByteBuffer.allocate(PAGE_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(offset);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // fill the page
            }
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), offset); // an attempt that has not started has no output yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int length = buffer.position();
        byte[] bytes = buffer.array();
        int end = length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end == 0 && (ended || length == PAGE_BYTES)) {
            end = length; // the unterminated last line of an ended task, or a line longer than a page
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < end) {
            lines.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
        }
        return new Chunk(lines, offset + end);
    }

    record Chunk(List<String> lines, long next) {}
}
