package io.batchgate.runner.runtime.local;

import io.batchgate.catalog.LocalTarget;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.AttemptRef;
import io.batchgate.runner.runtime.LaunchPreview;
import io.batchgate.runner.runtime.SecretMask;
import io.batchgate.runner.runtime.StartResult;
import io.batchgate.runner.runtime.TaskExitSink;
import io.batchgate.runner.runtime.TaskLaunch;
import io.batchgate.runner.runtime.TaskRuntime;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each attempt as a process of this machine — the embedded default, and the fast test twin of
 * the ECS runtime.
 *
 * <p>Crash-safe by construction: the job runs in its own session ({@code setsid}) under a tiny
 * {@code sh} wrapper that writes its pid, its output and its exit code to files in the attempt's
 * directory. The process outlives a runner crash; a restarted runner finds it by pid and start
 * time, or reads the exit code it left behind, and never starts the attempt again.
 */
public class LocalProcessRuntime implements TaskRuntime {

    public static final String NAME = "local";

    private static final Logger log = LoggerFactory.getLogger(LocalProcessRuntime.class);

    /*
     * $1 is the attempt directory, the rest is the job's command. The trap keeps the wrapper alive
     * through a SIGTERM to the process group so it can still record the job's exit code. A stop can
     * reach the group while the wrapper is still starting the job, before the job exists to get it:
     * the wrapper remembers it, does not start the job if it has not yet (143, as if terminated),
     * and otherwise passes it on to the job it just started. A forked shell loses a signal that
     * arrives before it has reset the wrapper's trap, and the kill the wrapper passes on can land
     * in that same moment; so the trap first leaves a stop mark in the attempt directory, and the
     * forked shell, its trap reset, looks for the mark before it becomes the job. Either the mark
     * is there in time or the kill comes after the reset: a stop is never lost to a job that then
     * runs until the stop grace kills it. The job runs in the background so the trap can act while
     * it runs; wait returns early when the trap runs, so it waits again until the job is gone. (A
     * background command of sh ignores SIGINT and SIGQUIT; batchgate sends neither.)
     */
    private static final String WRAPPER = String.join(
            "\n",
            "d=$1; shift",
            "stop=; job=",
            "trap 'stop=1; : > \"$d/" + AttemptDirectories.STOP_REQUESTED
                    + "\"; [ -n \"$job\" ] && kill -TERM \"$job\" 2>/dev/null' TERM INT HUP",
            "echo $$ > \"$d/pid.tmp\" && mv \"$d/pid.tmp\" \"$d/" + AttemptDirectories.PID + "\"",
            "if [ -n \"$stop\" ]; then c=143; else",
            "  ( [ -e \"$d/" + AttemptDirectories.STOP_REQUESTED + "\" ] && exit 143; exec \"$@\" ) >> \"$d/"
                    + AttemptDirectories.OUTPUT + "\" 2>&1 < /dev/null &",
            "  job=$!",
            "  [ -n \"$stop\" ] && kill -TERM \"$job\" 2>/dev/null",
            "  while :; do wait \"$job\"; c=$?; kill -0 \"$job\" 2>/dev/null || break; done",
            "fi",
            "echo $c > \"$d/exit-code.tmp\" && mv \"$d/exit-code.tmp\" \"$d/" + AttemptDirectories.EXIT_CODE + "\"",
            "exit $c");

    /**
     * A wrapper makes its session within milliseconds, but under load it has taken longer than the
     * one second this once retried for, and that stop was lost; so retry for as long as this.
     */
    private static final java.time.Duration GROUP_SIGNAL_WAIT = java.time.Duration.ofSeconds(15);

    private static final java.time.Duration GROUP_SIGNAL_PAUSE = java.time.Duration.ofMillis(50);

    private final java.time.Duration pidWait;
    private final AttemptDirectories directories;
    private final LocalRuntimeProperties properties;
    private final TaskExitSink sink;
    private final Executor callbacks;
    private final LocalSecrets secrets;
    private final LaunchedSecrets launchedSecrets;
    /** Handles with an exit callback registered, so watching twice registers once. */
    private final java.util.Set<String> watching = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LocalProcessRuntime(
            AttemptDirectories directories, LocalRuntimeProperties properties, TaskExitSink sink, Executor callbacks) {
        this(directories, properties, sink, callbacks, LaunchedSecrets.NONE);
    }

    /** @param launchedSecrets keeps the {@code secrets:} values given to a process, to scrub its output */
    public LocalProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink sink,
            Executor callbacks,
            LaunchedSecrets launchedSecrets) {
        this(directories, properties, sink, callbacks, java.time.Duration.ofSeconds(10), launchedSecrets);
    }

    /**
     * @param pidWait how long a second starter waits for the first one's pid before it takes the
     *     attempt over with the next marker generation
     */
    LocalProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink sink,
            Executor callbacks,
            java.time.Duration pidWait) {
        this(directories, properties, sink, callbacks, pidWait, LaunchedSecrets.NONE);
    }

    private LocalProcessRuntime(
            AttemptDirectories directories,
            LocalRuntimeProperties properties,
            TaskExitSink sink,
            Executor callbacks,
            java.time.Duration pidWait,
            LaunchedSecrets launchedSecrets) {
        this.launchedSecrets = launchedSecrets;
        this.pidWait = pidWait;
        this.directories = directories;
        this.properties = properties;
        this.sink = sink;
        this.callbacks = callbacks;
        this.secrets = new LocalSecrets(properties.secretsFile(), System::getenv);
    }

    /** Why the configured secrets file cannot be used, if it cannot (checked at start-up too). */
    public Optional<String> secretsFileProblem() {
        return secrets.fileProblem();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StartResult start(TaskLaunch launch) {
        Optional<LocalTarget> target = launch.job().local();
        if (target.isEmpty()) {
            return new StartResult.Refused("job '" + launch.job().name() + "' has no local target", false);
        }
        Path dir = directories.directory(launch.attempt());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return new StartResult.Refused("cannot create the attempt directory " + dir + ": " + e, false);
        }
        // Like ECS's clientToken: whoever creates the marker starts the process; anyone else (a
        // runner taking over an attempt whose launcher died, racing a launcher that is merely slow)
        // gets the process that was started, never a second one. A marker whose process never
        // reported a pid (its launcher died between the marker and the spawn) is followed by the
        // next generation's marker, which again only one starter can create.
        int generation = 1;
        while (Files.exists(dir.resolve(AttemptDirectories.LAUNCHED + generation))) {
            generation++;
        }
        Path marker = dir.resolve(AttemptDirectories.LAUNCHED + generation);
        if (generation > 1) {
            Optional<TaskHandle> earlier = awaitPid(launch);
            if (earlier.isPresent()) {
                return new StartResult.Started(earlier.get());
            }
        }
        // resolved before the marker: a refused launch leaves nothing that says it started
        LocalSecrets.Resolved secrets = this.secrets.resolve(launch.job().resolvedSecrets(launch.environment()));
        if (secrets instanceof LocalSecrets.Resolved.Problem problem) {
            return new StartResult.Refused(problem.message(), false);
        }
        Map<String, String> secretValues = ((LocalSecrets.Resolved.Values) secrets).env();
        if (!secretValues.isEmpty()) {
            try {
                launchedSecrets.remember(launch.attempt(), secretValues);
            } catch (RuntimeException e) {
                // the message never holds a value: only where keeping them failed
                return new StartResult.Refused(
                        "cannot keep the secrets' values for scrubbing the output: "
                                + e.getClass().getSimpleName(),
                        true);
            }
        }
        try {
            Files.createFile(marker);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return awaitPid(launch)
                    .<StartResult>map(StartResult.Started::new)
                    .orElseGet(() -> new StartResult.Refused(
                            "attempt " + launch.attempt().attempt() + " is being started by another runner", true));
        } catch (IOException e) {
            return new StartResult.Refused("cannot mark the attempt as launched in " + dir + ": " + e, false);
        }
        List<String> command =
                new ArrayList<>(List.of("setsid", "sh", "-c", WRAPPER, "batchgate-attempt", dir.toString()));
        command.addAll(target.get().command());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(target.get().workingDir().map(File::new).orElse(dir.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(AttemptDirectories.OUTPUT).toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(properties.inheritEnv());
        env.putAll(target.get().env());
        env.putAll(launch.environment());
        env.putAll(secretValues);
        try {
            Process process = builder.start();
            return new StartResult.Started(handleOf(process.toHandle()));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(marker); // nothing was started: a later try may start it
            } catch (IOException ignored) {
                // the refusal below says what went wrong
            }
            return new StartResult.Refused("cannot start " + target.get().command() + ": " + e.getMessage(), false);
        }
    }

    /**
     * The process of an attempt that was started before: its wrapper writes its pid within
     * milliseconds of being spawned, so wait a little for it; empty if it never does.
     */
    private Optional<TaskHandle> awaitPid(TaskLaunch launch) {
        long deadline = System.nanoTime() + pidWait.toNanos();
        while (true) {
            Optional<TaskHandle> found = find(launch);
            if (found.isPresent() || System.nanoTime() >= deadline) {
                return found;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    @Override
    public void watch(AttemptRef attempt, TaskHandle handle) {
        if (!watching.add(handle.id())) {
            return;
        }
        Optional<ProcessHandle> process = live(handle);
        if (process.isPresent()) {
            process.get().onExit().thenRunAsync(() -> report(attempt, handle), callbacks);
        } else {
            callbacks.execute(() -> report(attempt, handle));
        }
    }

    @Override
    public Optional<TaskHandle> find(TaskLaunch launch) {
        AttemptRef attempt = launch.attempt();
        OptionalInt pid = readInt(directories.directory(attempt).resolve(AttemptDirectories.PID));
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<TaskHandle> live = ProcessHandle.of(pid.getAsInt()).map(LocalProcessRuntime::handleOf);
        // The process may be gone already; its pid alone still lets watch() read the exit code.
        return Optional.of(live.orElse(new TaskHandle(NAME, pid.getAsInt() + "@0")));
    }

    /**
     * Sends SIGTERM to the attempt's whole process group (the wrapper's session). The wrapper
     * survives it to record the job's exit code.
     */
    @Override
    public void stop(TaskHandle handle, String reason) {
        signal(handle, "TERM", reason);
    }

    @Override
    public void kill(TaskHandle handle) {
        signal(handle, "KILL", "the stop grace is over");
    }

    private void signal(TaskHandle handle, String signal, String reason) {
        long pid = Long.parseLong(handle.id().split("@", 2)[0]);
        if (live(handle).isEmpty()) {
            return;
        }
        try {
            // A wrapper that has not yet made its session has no process group to signal: try again
            // for a moment rather than lose the stop.
            long deadline = System.nanoTime() + GROUP_SIGNAL_WAIT.toNanos();
            while (true) {
                int status = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
                if (status == 0 || System.nanoTime() >= deadline || live(handle).isEmpty()) {
                    break;
                }
                Thread.sleep(GROUP_SIGNAL_PAUSE.toMillis());
            }
            log.info("sent SIG{} to process group {}: {}", signal, pid, reason);
        } catch (IOException e) {
            log.warn("could not signal process group {}: {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public LaunchPreview preview(TaskLaunch launch) {
        Optional<LocalTarget> target = launch.job().local();
        if (target.isEmpty()) {
            return new LaunchPreview(
                    NAME, Map.of(), List.of("job '" + launch.job().name() + "' has no local target"));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", target.get().command());
        request.put("workingDir", target.get().workingDir().orElse("(the attempt's directory)"));
        Map<String, String> env = new LinkedHashMap<>(target.get().env());
        env.putAll(SecretMask.environment(launch));
        request.put("environment", env);
        request.put("inheritedEnvironment", properties.inheritEnv());
        if (!launch.job().secrets().isEmpty()) {
            // references only: the values are read at launch, into the child's environment alone
            request.put("secrets", launch.job().resolvedSecrets(launch.environment()));
        }
        return new LaunchPreview(NAME, request, List.of());
    }

    private void report(AttemptRef attempt, TaskHandle handle) {
        watching.remove(handle.id());
        Path dir = directories.directory(attempt);
        Path exitFile = dir.resolve(AttemptDirectories.EXIT_CODE);
        OptionalInt code = readInt(exitFile);
        TaskExit exit = code.isPresent()
                ? endedAt(TaskExit.code(code.getAsInt() & 0xFF), exitFile)
                : TaskExit.withoutCode("the process ended without recording an exit code (killed with SIGKILL,"
                        + " or the machine restarted)");
        try {
            sink.exited(attempt, exit);
        } catch (RuntimeException e) {
            log.error("could not record the end of attempt {}: {}", attempt, exit, e);
        }
    }

    /**
     * The wrapper writes the exit-code file the moment the job ends, so its modification time is
     * the end — also for a process that ended while no runner was there to see it.
     */
    private static TaskExit endedAt(TaskExit exit, Path exitFile) {
        try {
            return exit.endedAt(Files.getLastModifiedTime(exitFile).toInstant());
        } catch (IOException e) {
            return exit;
        }
    }

    /** The process behind a handle, if it is still the same process (pids are reused). */
    private static Optional<ProcessHandle> live(TaskHandle handle) {
        String[] parts = handle.id().split("@", 2);
        long pid = Long.parseLong(parts[0]);
        long startedMillis = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info()
                .startInstant()
                .map(Instant::toEpochMilli)
                .map(millis -> millis == startedMillis)
                .orElse(false));
    }

    private static TaskHandle handleOf(ProcessHandle process) {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new TaskHandle(NAME, process.pid() + "@" + started);
    }

    private static OptionalInt readInt(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            log.warn("unreadable {}: {}", file, e.toString());
            return OptionalInt.empty();
        }
    }
}
