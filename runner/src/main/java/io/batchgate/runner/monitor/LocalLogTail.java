package io.batchgate.runner.monitor;

import io.batchgate.runner.run.RunId;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads the tail of the output file the local runtime writes per attempt. ECS attempts have no
 * such file yet, so their failure pings carry the reason only (until the log port serves them).
 */
public final class LocalLogTail implements LogTail {

    /** Look this far back from a cut for a line start, so the tail starts with a whole line. */
    private static final int LINE_SEARCH = 200;

    private final AttemptDirectories directories;

    public LocalLogTail(AttemptDirectories directories) {
        this.directories = directories;
    }

    @Override
    public byte[] tail(RunId run, int attempt, int maxBytes) {
        if (maxBytes <= 0) {
            return new byte[0];
        }
        Path file = directories.output(run, attempt);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int length = (int) Math.min(size, maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            long position = size - length;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    break;
                }
            }
            byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
            return position == 0 ? bytes : fromCleanStart(bytes);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + run + " attempt " + attempt, e);
        }
    }

    /** Drops a partial first line (if a line start is near) or else a partial UTF-8 character. */
    static byte[] fromCleanStart(byte[] bytes) {
        // a newline that ends the bytes would leave nothing: then keep the partial line
        int limit = Math.min(bytes.length - 1, LINE_SEARCH);
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == '\n') {
                return Arrays.copyOfRange(bytes, i + 1, bytes.length);
            }
        }
        int start = 0;
        while (start < bytes.length && start < 4 && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }
}
