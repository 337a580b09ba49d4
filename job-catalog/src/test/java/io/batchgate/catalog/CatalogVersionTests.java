package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogVersionTests {

    private static final String JOB = "jobs:\n  a:\n    local:\n      command: [x]\n";

    @TempDir
    Path dir;

    @Test
    void hashIsStableForTheSameContentAndChangesWithIt() throws IOException {
        Path one = Files.createDirectory(dir.resolve("one"));
        Path two = Files.createDirectory(dir.resolve("two"));
        CatalogFiles.write(one, Map.of("a.yaml", JOB));
        CatalogFiles.write(two, Map.of("a.yaml", JOB));

        String version = new CatalogLoader().load(one).version();

        assertThat(version).matches("sha256:[0-9a-f]{16}");
        assertThat(new CatalogLoader().load(one).version()).isEqualTo(version);
        assertThat(new CatalogLoader().load(two).version()).isEqualTo(version);

        CatalogFiles.write(two, Map.of("a.yaml", JOB + "    description: changed\n"));
        assertThat(new CatalogLoader().load(two).version()).isNotEqualTo(version);
    }

    @Test
    void hashChangesWhenAFileIsRenamed() {
        CatalogFiles.write(dir, Map.of("a.yaml", JOB));
        String before = new CatalogLoader().load(dir).version();

        dir.resolve("a.yaml").toFile().renameTo(dir.resolve("b.yaml").toFile());

        assertThat(new CatalogLoader().load(dir).version()).isNotEqualTo(before);
    }

    @Test
    void usesTheGitCommitReadFromDotGitCombinedWithTheContentDigest() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        CatalogFiles.write(dir, Map.of("a.yaml", JOB));
        commitAll();
        String head = git("rev-parse", "HEAD").strip();
        String digest = new CatalogLoader().read(dir).catalog().orElseThrow().version();

        assertThat(digest).isEqualTo("git:" + head + "+" + hashOnly(JOB));

        // an uncommitted edit keeps the commit but changes the version: two contents never share one
        CatalogFiles.write(dir, Map.of("a.yaml", JOB + "    description: edited\n"));
        assertThat(new CatalogLoader().load(dir).version())
                .startsWith("git:" + head + "+sha256:")
                .isNotEqualTo(digest);
    }

    @Test
    void readsACommitFromPackedRefs() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        CatalogFiles.write(dir, Map.of("a.yaml", JOB));
        commitAll();
        String head = git("rev-parse", "HEAD").strip();
        git("pack-refs", "--all");
        String branch = git("symbolic-ref", "HEAD").strip();
        assertThat(dir.resolve(".git").resolve(branch)).doesNotExist();

        assertThat(new CatalogLoader().load(dir).version()).startsWith("git:" + head + "+");
    }

    @Test
    void followsADotGitFileOfALinkedWorktree() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        Path repo = Files.createDirectory(dir.resolve("repo"));
        CatalogFiles.write(repo, Map.of("a.yaml", JOB));
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "one");
        git(repo, "branch", "other");
        Path worktree = dir.resolve("wt");
        git(repo, "worktree", "add", "-q", worktree.toString(), "other");
        git(worktree, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "two");
        String head = git(worktree, "rev-parse", "HEAD").strip();
        assertThat(worktree.resolve(".git")).isRegularFile();

        assertThat(new CatalogLoader().load(worktree).version()).startsWith("git:" + head + "+");
    }

    @Test
    void aSubdirectoryOfACheckoutUsesTheCheckoutsCommit() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        Path catalog = Files.createDirectory(dir.resolve("catalog"));
        CatalogFiles.write(catalog, Map.of("a.yaml", JOB));
        commitAll();
        String head = git("rev-parse", "HEAD").strip();
        Files.writeString(dir.resolve("unrelated.txt"), "x");

        assertThat(new CatalogLoader().load(catalog).version()).isEqualTo("git:" + head + "+" + hashOnly(JOB));
    }

    private void commitAll() throws Exception {
        git("init", "-q");
        git("add", ".");
        git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "catalog");
    }

    private static String hashOnly(String content) {
        return CatalogVersion.contentHash(new java.util.TreeMap<>(Map.of("a.yaml", content.getBytes())));
    }

    private boolean gitWorks() {
        try {
            git("--version");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private String git(String... args) throws IOException, InterruptedException {
        return git(dir, args);
    }

    private static String git(Path in, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", in.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed: " + output);
        }
        return output;
    }
}
