package io.batchgate.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * The version a run pins: {@code git:<commit>+sha256:<16 hex>} if the catalog lives in a git work tree, else {@code
 * sha256:<16 hex>} of the file names and contents.
 *
 * <p>The commit is read from the files under {@code .git} (HEAD, loose refs, packed-refs, a {@code gitdir:} file for
 * worktrees and submodules); git itself is never run, so a hanging or missing git cannot stall a reload. The content
 * digest is always part of the version: the commit alone cannot see uncommitted edits, and two different contents must
 * never share a version, because a stored version is the immutable definition its runs are judged by.
 */
final class CatalogVersion {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_SYMBOLIC_REFS = 5;

    /** @param files file name to content, sorted by name */
    String of(Path directory, SortedMap<String, byte[]> files) {
        String digest = contentHash(files);
        return commit(directory).map(commit -> "git:" + commit + "+" + digest).orElse(digest);
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

    /** The commit HEAD points to in the work tree holding {@code directory}; empty outside git or before a commit. */
    static Optional<String> commit(Path directory) {
        try {
            // real path: a git-sync style symlink to the checked-out tree leads to its .git
            for (Path dir = directory.toRealPath(); dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return head(dotGit, dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    Optional<Path> gitDir = gitDir(dotGit);
                    return gitDir.isEmpty() ? Optional.empty() : head(gitDir.get(), commonDir(gitDir.get()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable or odd .git: the content digest alone still versions the catalog
        }
        return Optional.empty();
    }

    /** A {@code .git} file ({@code gitdir: <path>}), as git writes it for worktrees and submodules. */
    private static Optional<Path> gitDir(Path dotGitFile) throws IOException {
        String line = Files.readString(dotGitFile, StandardCharsets.UTF_8).strip();
        if (!line.startsWith("gitdir:")) {
            return Optional.empty();
        }
        Path target = Path.of(line.substring("gitdir:".length()).strip());
        return Optional.of(dotGitFile.getParent().resolve(target).normalize());
    }

    /** A linked worktree keeps HEAD in its own directory and the refs in the common one. */
    private static Path commonDir(Path gitDir) throws IOException {
        Path file = gitDir.resolve("commondir");
        if (!Files.isRegularFile(file)) {
            return gitDir;
        }
        return gitDir.resolve(Files.readString(file, StandardCharsets.UTF_8).strip())
                .normalize();
    }

    private static Optional<String> head(Path gitDir, Path commonDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String value = Files.readString(headFile, StandardCharsets.UTF_8).strip();
        for (int i = 0; i < MAX_SYMBOLIC_REFS; i++) {
            if (COMMIT.matcher(value).matches()) {
                return Optional.of(value);
            }
            if (!value.startsWith("ref:")) {
                return Optional.empty();
            }
            String ref = value.substring("ref:".length()).strip();
            Optional<String> resolved = ref(gitDir, commonDir, ref);
            if (resolved.isEmpty()) {
                return Optional.empty(); // a branch without commits yet
            }
            value = resolved.get();
        }
        return Optional.empty();
    }

    private static Optional<String> ref(Path gitDir, Path commonDir, String ref) throws IOException {
        if (ref.contains("..")) {
            return Optional.empty();
        }
        for (Path base : new Path[] {gitDir, commonDir}) {
            Path loose = base.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Optional.of(
                        Files.readString(loose, StandardCharsets.UTF_8).strip());
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                // "<commit> <ref>"; comments start with '#', peeled tags with '^'
                int space = line.indexOf(' ');
                if (space == 40 && line.substring(space + 1).strip().equals(ref)) {
                    return Optional.of(line.substring(0, space));
                }
            }
        }
        return Optional.empty();
    }
}
