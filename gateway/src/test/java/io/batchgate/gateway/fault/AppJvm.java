package io.batchgate.gateway.fault;

import io.batchgate.gateway.BatchgateApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application as a JVM of its own, for the fault tests that kill it: started on this test's
 * classpath (the code under test, not a jar that {@code mvn verify} has not packaged yet at test
 * time, packed into jars for {@link AppClassDataArchive}), its output in a log file that tells
 * when it has started.
 */
final class AppJvm {

    private AppJvm() {}

    /** Made by the first start in this test JVM, then shared by every application JVM. */
    private static AppClassDataArchive archive;

    static Process start(List<String> jvmOptions, List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        AppClassDataArchive classes = archive(java);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(classes.jvmOptions());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Duser.timezone=UTC",
                "-cp",
                classes.classPath(),
                BatchgateApplication.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static synchronized AppClassDataArchive archive(String java) {
        if (archive == null) {
            archive = AppClassDataArchive.make(
                    java, Path.of("target", "app-jvm-classes").toAbsolutePath());
        }
        return archive;
    }

    /** Waits for Boot's "Started" line and returns the log so far; fails at once if the JVM ends. */
    static String awaitStarted(Process process, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Started BatchgateApplication")) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the application exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the application did not start in " + timeout + ":\n" + Files.readString(log));
    }

    private static final Pattern TOMCAT_PORT = Pattern.compile("Tomcat started on port (\\d+)");

    /**
     * The port an application started with {@code --server.port=0} listens on, from the log that
     * {@link #awaitStarted} returned. A port picked free beforehand can be taken by the time the
     * JVM binds it, seconds later, by another test's JVM running beside this one.
     */
    static int port(String startedLog) {
        Matcher port = TOMCAT_PORT.matcher(startedLog);
        if (!port.find()) {
            throw new AssertionError("no 'Tomcat started on port' line in:\n" + startedLog);
        }
        return Integer.parseInt(port.group(1));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
