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
    void usesTheGitCommitAndMarksLocalChangesDirty() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        CatalogFiles.write(dir, Map.of("a.yaml", JOB));
        git("init", "-q");
        git("add", "a.yaml");
        git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "catalog");
        String head = git("rev-parse", "HEAD").strip();

        assertThat(new CatalogLoader().load(dir).version()).isEqualTo("git:" + head);

        CatalogFiles.write(dir, Map.of("a.yaml", JOB + "    description: edited\n"));
        assertThat(new CatalogLoader().load(dir).version()).isEqualTo("git:" + head + "-dirty");
    }

    @Test
    void onlyChangesInTheCatalogDirectoryMakeItDirty() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        Path catalog = Files.createDirectory(dir.resolve("catalog"));
        CatalogFiles.write(catalog, Map.of("a.yaml", JOB));
        git("init", "-q");
        git("add", ".");
        git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "catalog");
        Files.writeString(dir.resolve("unrelated.txt"), "x");

        assertThat(new CatalogLoader().load(catalog).version())
                .doesNotEndWith("-dirty")
                .startsWith("git:");
    }

    @Test
    void fallsBackToTheHashInAGitRepositoryWithoutCommits() throws Exception {
        assumeTrue(gitWorks(), "git is not installed");
        CatalogFiles.write(dir, Map.of("a.yaml", JOB));
        git("init", "-q");

        assertThat(new CatalogLoader().load(dir).version()).startsWith("sha256:");
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
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command + " failed: " + output);
        }
        return output;
    }
}
