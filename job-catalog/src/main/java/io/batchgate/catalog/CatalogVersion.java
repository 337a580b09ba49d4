package io.batchgate.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The version a run pins: {@code git:<commit>} (plus {@code -dirty} when the catalog directory has local changes) if
 * the catalog lives in a git work tree, else {@code sha256:<16 hex>} of the file names and contents.
 */
final class CatalogVersion {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Duration gitTimeout;

    CatalogVersion(Duration gitTimeout) {
        this.gitTimeout = gitTimeout;
    }

    /** @param files file name to content, sorted by name */
    String of(Path directory, SortedMap<String, byte[]> files) {
        return gitVersion(directory).orElseGet(() -> contentHash(files));
    }

    static String contentHash(SortedMap<String, byte[]> files) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        // Lengths delimit names and contents, so moving bytes from one file to the next changes the hash.
        files.forEach((name, content) -> {
            sha256.update((name + "\0" + content.length + "\0").getBytes(StandardCharsets.UTF_8));
            sha256.update(content);
        });
        return "sha256:" + HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
    }

    Optional<String> gitVersion(Path directory) {
        Optional<String> head = git(directory, "rev-parse", "HEAD").map(String::strip);
        if (head.isEmpty() || !COMMIT.matcher(head.get()).matches()) {
            return Optional.empty();
        }
        Optional<String> status = git(directory, "status", "--porcelain", "--", ".");
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("git:" + head.get() + (status.get().isBlank() ? "" : "-dirty"));
    }

    /** The command's output if it exits 0 within the timeout; empty if git is missing, fails or hangs. */
    private Optional<String> git(Path directory, String... args) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("batchgate-git", ".out");
            ProcessBuilder builder = new ProcessBuilder(command(directory, args))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    // A file, not a pipe: reading a pipe would block past the timeout if git hangs.
                    .redirectOutput(output.toFile());
            // Never prompt, and let status skip the index lock that a concurrent git command may hold.
            builder.environment().put("GIT_TERMINAL_PROMPT", "0");
            builder.environment().put("GIT_OPTIONAL_LOCKS", "0");
            process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(gitTimeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static List<String> command(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        return command;
    }
}
