package io.batchgate.gateway.fault;

import io.batchgate.gateway.BatchgateApplication;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive of the application, so that the fault tests' many application JVMs
 * start in about 5 s instead of 9 s on two cores (the crash test alone starts 60). HotSpot maps
 * classes from the archive instead of loading, parsing and verifying them again in every JVM.
 *
 * <p>Made once per test JVM: the class path's directories ({@code target/classes} of this module
 * and the ones it depends on) are packed into jars, because HotSpot archives only classes from
 * jars and refuses a class path with a non-empty directory; then one training JVM starts the
 * application until its context is refreshed ({@code spring.context.exit=onRefresh}) and dumps the
 * classes it loaded at exit ({@code -XX:ArchiveClassesAtExit}). A JVM that cannot use the archive
 * (another JDK, a jar changed since) runs without it: {@code -Xshare:auto} is the default.
 */
final class AppClassDataArchive {

    private final List<String> jvmOptions;
    private final String classPath;

    private AppClassDataArchive(List<String> jvmOptions, String classPath) {
        this.jvmOptions = jvmOptions;
        this.classPath = classPath;
    }

    /** The options that use the archive, empty if it could not be made. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The class path the archive was made with (directories as jars). */
    String classPath() {
        return classPath;
    }

    /**
     * Packs the class path and trains the archive under {@code dir}, which is replaced. When the
     * training JVM fails, says why on standard error and returns the plain class path.
     */
    static AppClassDataArchive make(String java, Path dir) {
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            String classPath = jarredClassPath(System.getProperty("java.class.path"), dir.resolve("classes"));
            Path archive = dir.resolve("app.jsa");
            Path data = Files.createDirectories(dir.resolve("training-data"));
            Path log = dir.resolve("training.log");
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-XX:ArchiveClassesAtExit=" + archive,
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Duser.timezone=UTC",
                    "-Dspring.context.exit=onRefresh",
                    "-cp",
                    classPath,
                    BatchgateApplication.class.getName(),
                    "--batchgate.data-dir=" + data,
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--logging.level.root=warn"));
            Process training = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean ended = training.waitFor(5, TimeUnit.MINUTES);
            if (!ended) {
                training.destroyForcibly().waitFor();
            }
            if (!ended || training.exitValue() != 0 || !Files.isRegularFile(archive)) {
                System.err.println("no class-data-sharing archive for the application JVMs (they start without"
                        + " one, more slowly); the training JVM's output:\n" + Files.readString(log));
                return new AppClassDataArchive(List.of(), classPath);
            }
            return new AppClassDataArchive(List.of("-XX:SharedArchiveFile=" + archive), classPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The class path with every directory replaced by a jar of its files. */
    private static String jarredClassPath(String classPath, Path jars) throws IOException {
        Files.createDirectories(jars);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = jars.resolve(
                        (n++) + "-" + path.getParent().getParent().getFileName() + "-" + path.getFileName() + ".jar");
                jar(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void jar(Path directory, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(directory)) {
            // directory entries too: Spring's component scan lists a package as a jar's directory
            for (Path source : (Iterable<Path>) files.sorted()::iterator) {
                String name = directory.relativize(source).toString().replace(File.separatorChar, '/');
                if (name.isEmpty()) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(source);
                out.putNextEntry(new JarEntry(isDirectory ? name + "/" : name));
                if (!isDirectory) {
                    Files.copy(source, out);
                }
                out.closeEntry();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
