package io.batchgate.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The processes that the local runtime started for the runs of a data directory, so that a test
 * can end them whatever happened to it. A process is one of them when it is an attempt's wrapper
 * (its command line names {@code <data dir>/runs/}), in the process group of one (the wrapper is
 * started with {@code setsid}), or carries the {@code BATCHGATE_RUN_ID} of a run under
 * {@code <data dir>/runs/} in its environment, as every job process and its children do when the
 * runner launched them: that reaches the children of a job whose wrapper has already gone, and
 * trusts no pid file (pids are reused).
 */
public final class JobProcesses {

    private JobProcesses() {}

    /** The live processes of runs under {@code dataDir}, as "pid command line". */
    public static List<String> alive(Path dataDir) {
        return of(dataDir).stream().map(JobProcesses::describe).toList();
    }

    /**
     * Kills (SIGKILL) every live process of the runs under {@code dataDir} and returns what it
     * killed, as "pid command line"; an empty list when nothing was left running.
     */
    public static List<String> killAll(Path dataDir) {
        List<String> killed = new ArrayList<>();
        for (ProcessHandle process : of(dataDir)) {
            killed.add(describe(process));
            process.destroyForcibly();
        }
        return killed;
    }

    private static List<ProcessHandle> of(Path dataDir) {
        Set<String> runIds = runIds(dataDir);
        if (runIds.isEmpty()) {
            return List.of();
        }
        String runs = dataDir.resolve("runs").toAbsolutePath().normalize() + "/";
        List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
        Set<Long> wrappers = all.stream()
                .filter(process -> cmdline(process.pid()).contains(runs))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        return all.stream()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> wrappers.contains(process.pid())
                        || processGroup(process.pid())
                                .filter(wrappers::contains)
                                .isPresent()
                        || runIdOf(process.pid()).filter(runIds::contains).isPresent())
                .toList();
    }

    /** {@link #killAll}, then removes the data directory; what it killed goes to stderr. */
    public static void killAllAndDelete(Path dataDir) {
        List<String> killed = killAll(dataDir);
        if (!killed.isEmpty()) {
            System.err.println("killed job processes left running under " + dataDir + ": " + killed);
        }
        delete(dataDir);
    }

    /** Removes a directory tree, ignoring files that vanish meanwhile (a job may still write). */
    public static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a directory a late writer refilled: left for the OS's temp cleaner
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + directory + ": " + e);
        }
    }

    private static Set<String> runIds(Path dataDir) {
        Path runs = dataDir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(runs)) {
            return entries.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    /** Field 5 of /proc/pid/stat, after the command name in parentheses (which may hold spaces). */
    private static Optional<Long> processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> runIdOf(long pid) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone, or not ours to read
        }
        for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            if (variable.startsWith("BATCHGATE_RUN_ID=")) {
                return Optional.of(variable.substring("BATCHGATE_RUN_ID=".length()));
            }
        }
        return Optional.empty();
    }

    private static String describe(ProcessHandle process) {
        return process.pid() + " " + process.info().commandLine().orElse("?");
    }
}
