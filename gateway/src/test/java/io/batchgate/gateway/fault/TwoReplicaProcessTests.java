package io.batchgate.gateway.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.testing.TestDatabases;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two replicas of the whole application (gateway and runner each) as two JVM processes sharing one
 * MariaDB database, one SQS queue (ElasticMQ) and one data directory (the local runtime's attempt
 * files: a replica can only take over the other's processes if it can read their exit codes). 16
 * clients send 600 triggers, spread over both replicas and four jobs — {@code forbid}, {@code
 * queue} with maxConcurrent 2 and maxQueued 50, {@code replace}, {@code allow} — under a global cap
 * of 8.
 *
 * <p>The limits are checked from what the jobs themselves wrote, not by sampling: each process
 * appends a start and an end line to one shared stamp file ({@code O_APPEND}, one short {@code
 * write} per line). The kernel serialises appends to one file, so the order of the lines is the
 * real order of the writes: a sweep over the file gives the exact number of jobs between their
 * start and end stamps at every instant. Each line also carries the run, the attempt, the pid and
 * the monotonic clock ({@code /proc/uptime}: CLOCK_BOOTTIME, read with the shell's {@code read}
 * builtin, no fork; 10 ms resolution, so it serves the durations, the file order serves the
 * ordering). A {@code replace}d run is stopped with SIGTERM: its trap writes the end stamp, and a
 * stop grace of 30 s keeps SIGKILL from cutting it short.
 */
@Tag("fault")
class TwoReplicaProcessTests {

    static final int TRIGGERS = 600;
    static final int CLIENTS = 16;
    static final int GLOBAL_CAP = 8;
    static final long SEED = 20261203L;
    static final List<String> JOBS = List.of("forbid", "queue", "replace", "allow");
    /** The most runs of each job that may be between their stamps at once. */
    static final Map<String, Integer> LIMITS = Map.of("forbid", 1, "queue", 2, "replace", 1);

    /**
     * Stamps "start|end job run attempt pid uptime". The TERM trap is set before the start stamp
     * (a TERM that comes first leaves an end without a start, which the sweep ignores) and TERM is
     * ignored while the normal end stamp is written, so every started process writes exactly one end.
     */
    static final String SCRIPT = "stamp() { read -r up _ < /proc/uptime;"
            + " echo \"$1 $BATCHGATE_JOB $BATCHGATE_RUN_ID $BATCHGATE_ATTEMPT $$ $up\" >> \"$STAMPS\"; };"
            + " trap \"stamp end; exit 143\" TERM; stamp start; sleep \"$DELAY\"; trap \"\" TERM; stamp end";

    static final String CATALOG = """
            jobs:
              forbid:
                description: Stamps, sleeps DELAY seconds, stamps. Never two at once; a trigger meanwhile is skipped.
                local: { command: [sh, -c, '%1$s'] }
                params: &params
                  STAMPS: { type: string, required: true, maxLength: 1024 }
                  DELAY: { type: string, required: true, pattern: '[0-9]+([.][0-9]+)?' }
                concurrency: { overlap: forbid }
              queue:
                description: Stamps, sleeps, stamps. Two at once, at most 50 waiting.
                local: { command: [sh, -c, '%1$s'] }
                params: *params
                concurrency: { overlap: queue, maxConcurrent: 2, maxQueued: 50 }
              replace:
                description: Stamps, sleeps, stamps. A new trigger cancels the running one (SIGTERM; its trap stamps the end).
                local: { command: [sh, -c, '%1$s'] }
                params: *params
                timeouts: { stopGrace: 30s }
                concurrency: { overlap: replace }
              allow:
                description: Stamps, sleeps, stamps. Any number at once, within the global cap.
                local: { command: [sh, -c, '%1$s'] }
                params: *params
            """.formatted(SCRIPT);

    @TempDir
    Path dir;

    private SQSRestServer sqs;
    private final List<Process> replicas = new CopyOnWriteArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One answered (or unanswered: {@code code} 0) trigger. */
    record Answer(String job, int replica, int code, String contentType, String body) {}

    /** One stamp line, in file order. */
    record Stamp(String kind, String job, String run, int attempt, long pid, long uptimeNanos) {

        static Stamp parse(String line) {
            String[] f = line.trim().split(" ");
            if (f.length != 6) {
                throw new AssertionError("malformed stamp line: " + line);
            }
            return new Stamp(
                    f[0],
                    f[1],
                    f[2],
                    Integer.parseInt(f[3]),
                    Long.parseLong(f[4]),
                    new BigDecimal(f[5]).movePointRight(9).longValueExact());
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process replica : replicas) {
            replica.destroyForcibly();
        }
        for (Process replica : replicas) {
            replica.waitFor(30, TimeUnit.SECONDS);
        }
        // the jobs run in their own sessions (setsid): the wrapper's pid is its process group
        Path runs = dir.resolve("data").resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> files = Files.walk(runs)) {
                for (Path pid : files.filter(p -> p.getFileName().toString().equals("pid"))
                        .toList()) {
                    String group = Files.readString(pid).trim();
                    if (group.matches("[0-9]+")) {
                        new ProcessBuilder("kill", "-KILL", "--", "-" + group)
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start()
                                .waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
        if (sqs != null) {
            sqs.stopAndWait();
        }
    }

    @Test
    void limitsHoldAcrossTwoReplicaProcesses(TestInfo test) throws Exception {
        scenario(test, false);
    }

    @Test
    void limitsHoldWhenOneReplicaIsKilledHalfway(TestInfo test) throws Exception {
        scenario(test, true);
    }

    private void scenario(TestInfo test, boolean killOne) throws Exception {
        String name = killOne ? "kill" : "plain";
        String prefix = "fault.two-replica-processes." + name + ".";
        long began = System.nanoTime();
        String db = TestDatabases.newMariaDbDatabase();
        // Migrated before the replicas start: two replicas starting at once on an empty database race
        // in Liquibase ("Table 'DATABASECHANGELOG' already exists"), which is not what this test is about.
        TestDatabases.migrated(db);
        int sqsPort = AppJvm.freePort();
        sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort).start();
        sqs.waitUntilStarted();
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("replicas.yaml"), CATALOG);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Path stamps = Files.createFile(dir.resolve("stamps.txt"));
        Path logs = Files.createDirectories(Path.of("target", "two-replica-logs"));

        List<Path> logFiles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path log = logs.resolve(test.getTestMethod().orElseThrow().getName() + "-replica-" + i + ".log");
            logFiles.add(log);
            replicas.add(AppJvm.start(ReplicaArguments.JVM_OPTIONS, args(i, db, sqsPort, catalog, dataDir), log));
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ports.add(AppJvm.port(AppJvm.awaitStarted(replicas.get(i), logFiles.get(i), Duration.ofMinutes(3))));
        }
        System.out.println(prefix + "started-seconds: "
                + Duration.ofNanos(System.nanoTime() - began).toSeconds());

        // the plan: which job, and how long each run sleeps (0.2–1.5 s)
        Random random = new Random(SEED);
        List<Map.Entry<String, String>> plan = new ArrayList<>();
        for (int i = 0; i < TRIGGERS; i++) {
            String delay = String.format(Locale.ROOT, "%.3f", 0.2 + random.nextInt(1301) / 1000.0);
            plan.add(Map.entry(JOBS.get(random.nextInt(JOBS.size())), delay));
        }

        AtomicReference<List<Integer>> live = new AtomicReference<>(List.of(0, 1));
        AtomicInteger next = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(TRIGGERS / 2);
        List<Answer> answers = new CopyOnWriteArrayList<>();
        Map<String, String> accepted = new ConcurrentHashMap<>(); // run id → job
        Set<String> orphaned = new HashSet<>(); // runs whose processes outlived the killed replica
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long triggersBegan = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random pacing = new Random(SEED + c);
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < TRIGGERS; i = next.getAndIncrement()) {
                        String job = plan.get(i).getKey();
                        List<Integer> targets = live.get();
                        int replica = targets.get(i % targets.size());
                        Answer answer = trigger(
                                ports.get(replica),
                                replica,
                                job,
                                stamps,
                                plan.get(i).getValue());
                        answers.add(answer);
                        if (answer.code() == 202) {
                            accepted.put(
                                    json.readTree(answer.body()).get("runId").asString(), job);
                        }
                        halfway.countDown();
                        Thread.sleep(pacing.nextInt(400));
                    }
                    return null;
                }));
            }
            if (killOne) {
                assertThat(halfway.await(5, TimeUnit.MINUTES)).isTrue();
                live.set(List.of(1)); // the clients go to the survivor from now on
                // killed while it has job processes running, so that the survivor must take them over
                Process victim = replicas.get(0);
                Map<ProcessHandle, String> jobs = awaitJobProcesses(victim, Duration.ofMinutes(1));
                victim.destroyForcibly().waitFor(); // SIGKILL
                jobs.forEach((process, run) -> {
                    if (process.isAlive()) {
                        orphaned.add(run);
                    }
                });
                System.out.println(prefix + "killed replica 0 after " + answers.size() + " answers, "
                        + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s, with "
                        + orphaned.size() + " of its job processes still running: " + orphaned);
            }
            for (Future<?> client : done) {
                client.get(10, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        long triggerSeconds =
                Duration.ofNanos(System.nanoTime() - triggersBegan).toSeconds();

        // every run the database holds — accepted, skipped, or created by a trigger whose answer
        // the kill cut off — must end
        int survivor = killOne ? 1 : 0;
        Map<String, JsonNode> runs = awaitAllFinal(ports.get(survivor), accepted.keySet(), Duration.ofMinutes(4));
        List<Stamp> lines = Files.readAllLines(stamps).stream()
                .filter(line -> !line.isBlank())
                .map(Stamp::parse)
                .toList();

        List<String> problems = new ArrayList<>();

        // the answers: 202, or a refusal the policy allows, as problem+json; never anything else
        Map<Integer, Integer> byCode = new TreeMap<>();
        Map<String, Map<Integer, Integer>> byJobAndCode = new TreeMap<>();
        int unanswered = 0;
        for (Answer answer : answers) {
            byCode.merge(answer.code(), 1, Integer::sum);
            byJobAndCode.computeIfAbsent(answer.job(), j -> new TreeMap<>()).merge(answer.code(), 1, Integer::sum);
            if (answer.code() == 0) {
                unanswered++;
                if (!killOne || answer.replica() != 0) {
                    problems.add("unanswered trigger of " + answer.job() + " on replica " + answer.replica() + ": "
                            + answer.body());
                }
            } else if (answer.code() == 409 || answer.code() == 429) {
                String expectedType = answer.code() == 409 ? "/problems/overlap-forbidden" : "/problems/queue-full";
                String expectedJob = answer.code() == 409 ? "forbid" : "queue";
                if (!answer.contentType().startsWith("application/problem+json")
                        || !expectedJob.equals(answer.job())
                        || !expectedType.equals(typeOf(answer.body()))) {
                    problems.add("refusal " + answer.code() + " of " + answer.job() + " (" + answer.contentType()
                            + "): " + answer.body());
                }
            } else if (answer.code() != 202) {
                problems.add("answer " + answer.code() + " to a trigger of " + answer.job() + " on replica "
                        + answer.replica() + ": " + answer.body());
            }
        }
        long fiveHundreds = answers.stream().filter(a -> a.code() >= 500).count();

        // the runs: every accepted one final (a 202 is a promise), none left behind
        List<String> lost = new ArrayList<>();
        for (String id : accepted.keySet()) {
            JsonNode run = runs.get(id);
            if (run == null || !FaultRuns.FINAL.contains(run.get("status").asString())) {
                lost.add(id + " (" + accepted.get(id) + ") is "
                        + (run == null ? "missing" : run.get("status").asString()));
            }
        }
        runs.values().stream()
                .filter(run -> !FaultRuns.FINAL.contains(run.get("status").asString()))
                .filter(run -> !accepted.containsKey(run.get("runId").asString()))
                .forEach(run -> lost.add(
                        run.get("runId").asString() + " (" + run.get("job").asString() + ", answer cut off) is "
                                + run.get("status").asString()));
        problems.addAll(lost.stream().map(l -> "not final: " + l).toList());

        // the stamps: exact concurrency at every instant, in the order the kernel appended them
        Map<String, Integer> running = new HashMap<>();
        Map<String, Integer> maxByJob = new TreeMap<>();
        Set<String> open = new HashSet<>();
        Map<String, Integer> startsByAttempt = new HashMap<>();
        Map<String, Integer> startsByRun = new HashMap<>();
        Map<String, Integer> endsByRun = new HashMap<>();
        Map<String, Long> startedAt = new HashMap<>();
        List<Long> durations = new ArrayList<>();
        int total = 0;
        int maxTotal = 0;
        int endsWithoutStart = 0;
        for (Stamp stamp : lines) {
            String attempt = stamp.run() + "#" + stamp.attempt();
            if (stamp.kind().equals("start")) {
                startsByAttempt.merge(attempt, 1, Integer::sum);
                startsByRun.merge(stamp.run(), 1, Integer::sum);
                if (open.add(attempt)) {
                    startedAt.put(attempt, stamp.uptimeNanos());
                    int now = running.merge(stamp.job(), 1, Integer::sum);
                    maxByJob.merge(stamp.job(), now, Math::max);
                    total++;
                    maxTotal = Math.max(maxTotal, total);
                    Integer limit = LIMITS.get(stamp.job()); // allow: only the global cap
                    if (limit != null && now > limit) {
                        problems.add(now + " runs of " + stamp.job() + " at once (limit " + limit + ") when " + attempt
                                + " started, pid " + stamp.pid());
                    }
                    if (total > GLOBAL_CAP) {
                        problems.add(
                                total + " runs at once (global cap " + GLOBAL_CAP + ") when " + attempt + " started");
                    }
                }
            } else if (stamp.kind().equals("end")) {
                endsByRun.merge(stamp.run(), 1, Integer::sum);
                if (open.remove(attempt)) {
                    running.merge(stamp.job(), -1, Integer::sum);
                    total--;
                    durations.add(stamp.uptimeNanos() - startedAt.get(attempt));
                } else {
                    endsWithoutStart++;
                }
            } else {
                problems.add("unknown stamp " + stamp);
            }
        }
        open.forEach(attempt -> problems.add("started but never ended (no end stamp): " + attempt));

        // no attempt started twice, no second attempt at all (no job retries), and each run's stamps
        // agree with its final status
        long duplicates = startsByAttempt.values().stream()
                        .filter(n -> n > 1)
                        .mapToLong(n -> n - 1)
                        .sum()
                + lines.stream()
                        .filter(s -> s.kind().equals("start") && s.attempt() != 1)
                        .count();
        startsByAttempt.forEach((attempt, n) -> {
            if (n > 1) {
                problems.add("attempt " + attempt + " started " + n + " times");
            }
        });
        lines.stream()
                .filter(s -> s.kind().equals("start") && s.attempt() != 1)
                .forEach(s -> problems.add("a second attempt started: " + s));
        for (Stamp stamp : lines) {
            if (!runs.containsKey(stamp.run())) {
                problems.add("stamp of a run the database does not list: " + stamp);
            }
        }
        for (JsonNode run : runs.values()) {
            String id = run.get("runId").asString();
            String status = run.get("status").asString();
            int starts = startsByRun.getOrDefault(id, 0);
            int ends = endsByRun.getOrDefault(id, 0);
            boolean fits =
                    switch (status) {
                        case "SUCCEEDED" -> starts == 1 && ends == 1;
                        case "SKIPPED" ->
                            starts == 0 && run.get("job").asString().equals("forbid");
                        case "CANCELLED" ->
                            starts <= 1 && run.get("job").asString().equals("replace");
                        default -> false;
                    };
            if (!fits) {
                problems.add("run " + id + " of " + run.get("job").asString() + " ended " + status + " with " + starts
                        + " start and " + ends + " end stamps: " + run);
            }
        }

        Map<String, Map<String, Integer>> statusByJob = new TreeMap<>();
        runs.values().forEach(run -> statusByJob
                .computeIfAbsent(run.get("job").asString(), j -> new TreeMap<>())
                .merge(run.get("status").asString(), 1, Integer::sum));
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
        System.out.println(prefix + "triggers: " + answers.size());
        System.out.println(prefix + "accepted: " + accepted.size());
        System.out.println(prefix + "answers-by-code: " + byCode + " (0 = no answer: cut off by the kill)");
        System.out.println(prefix + "answers-by-job-and-code: " + byJobAndCode);
        System.out.println(prefix + "5xx: " + fiveHundreds);
        System.out.println(prefix + "unanswered: " + unanswered);
        System.out.println(prefix + "runs-in-database: " + runs.size() + " " + statusByJob);
        System.out.println(prefix + "stamp-lines: " + lines.size() + ", processes started: "
                + startsByAttempt.size() + ", ends without a start (TERM before the start stamp): "
                + endsWithoutStart);
        System.out.println(prefix + "max-concurrent-by-job: " + maxByJob + " (limits " + LIMITS + ")");
        System.out.println(prefix + "max-concurrent-overall: " + maxTotal + " (cap " + GLOBAL_CAP + ")");
        System.out.println(prefix + "duplicates: " + duplicates);
        System.out.println(prefix + "lost: " + lost.size());
        System.out.println(prefix + "mean-stamped-seconds: "
                + durations.stream().mapToLong(Long::longValue).average().orElse(0) / 1e9);
        for (int i = killOne ? 1 : 0; i < 2; i++) {
            System.out.println(prefix + "lock-conflict-retries.replica-" + i + ": "
                    + counter(ports.get(i), "batchgate_db_retries_total") + " (gave up: "
                    + counter(ports.get(i), "batchgate_db_retries_exhausted_total") + ")");
        }
        System.out.println(prefix + "trigger-seconds: " + triggerSeconds);
        System.out.println(prefix + "wall-seconds: " + seconds);
        System.out.println(prefix + "problems: " + problems.size());
        problems.stream().limit(60).forEach(p -> System.out.println(prefix + "problem: " + p));

        for (String id : orphaned) {
            JsonNode run = runs.get(id);
            if (run == null
                    || !Set.of("SUCCEEDED", "CANCELLED")
                            .contains(run.get("status").asString())) {
                problems.add("orphaned run " + id + " was not taken over: " + run);
            }
        }
        if (killOne) {
            System.out.println(prefix + "orphaned-runs-taken-over: " + orphaned.size());
        }

        assertThat(problems).isEmpty();
        assertThat(fiveHundreds).isZero();
        assertThat(lost).isEmpty();
        assertThat(duplicates).isZero();
        assertThat(unanswered).isLessThanOrEqualTo(killOne ? CLIENTS : 0);
        assertThat(answers).hasSize(TRIGGERS);
        // the limits were reached, not merely respected by idling
        assertThat(maxByJob.get("queue")).isEqualTo(2);
        assertThat(maxTotal).isGreaterThan(2);
        if (killOne) {
            assertThat(orphaned)
                    .as("job processes the killed replica left running")
                    .isNotEmpty();
        }
    }

    /**
     * The replica's running job processes (the attempt wrappers it spawned) and their runs, once it
     * has any. A wrapper's arguments are {@code batchgate-attempt …/runs/<run>/attempt-<n>} and the
     * job's command.
     */
    private static Map<ProcessHandle, String> awaitJobProcesses(Process replica, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<ProcessHandle, String> jobs = new HashMap<>();
            replica.children().forEach(child -> child.info().arguments().ifPresent(args -> {
                List<String> list = List.of(args);
                int at = list.indexOf("batchgate-attempt");
                if (at >= 0 && at + 1 < list.size()) {
                    jobs.put(
                            child,
                            Path.of(list.get(at + 1)).getParent().getFileName().toString());
                }
            }));
            if (!jobs.isEmpty() || System.nanoTime() > deadline) {
                return jobs;
            }
            Thread.sleep(20);
        }
    }

    private Answer trigger(int port, int replica, String job, Path stamps, String delay) {
        String body = json.writeValueAsString(Map.of("params", Map.of("STAMPS", stamps.toString(), "DELAY", delay)));
        HttpRequest request = GatewayTestSupport.request(port, "/api/v1/jobs/" + job + "/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    job,
                    replica,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            return new Answer(job, replica, 0, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a Prometheus counter's series on the replica. */
    private double counter(int port, String name) throws Exception {
        HttpResponse<String> metrics = http.send(
                GatewayTestSupport.request(port, "/actuator/prometheus").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private String typeOf(String body) {
        try {
            JsonNode type = json.readTree(body).get("type");
            return type == null ? "" : type.asString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Pages through every run of the four jobs until all are final and every accepted one is listed,
     * or the time is up; returns them by id.
     */
    private Map<String, JsonNode> awaitAllFinal(int port, Set<String> accepted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, JsonNode> runs;
        do {
            runs = new LinkedHashMap<>();
            for (String job : JOBS) {
                String path = "/api/v1/runs?job=" + job + "&limit=500";
                while (path != null) {
                    HttpResponse<String> page = http.send(
                            GatewayTestSupport.request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                    JsonNode body = json.readTree(page.body());
                    for (JsonNode run : body.get("runs")) {
                        runs.put(run.get("runId").asString(), run);
                    }
                    path = body.has("next") ? body.get("next").asString() : null;
                }
            }
            boolean allFinal = runs.values().stream()
                    .allMatch(run -> FaultRuns.FINAL.contains(run.get("status").asString()));
            if (allFinal && runs.keySet().containsAll(accepted)) {
                return runs;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        return runs;
    }

    private static List<String> args(int replica, String db, int sqsPort, Path catalog, Path dataDir) {
        return ReplicaArguments.of(
                replica,
                db,
                sqsPort,
                catalog,
                dataDir,
                "admin",
                List.of(
                        "--batchgate.auth.trigger-rate.per-second=100000",
                        "--batchgate.auth.trigger-rate.burst=100000",
                        "--batchgate.queue.visibility-seconds=5",
                        "--batchgate.queue.resend-after=5s",
                        "--batchgate.launch.max-concurrent=" + GLOBAL_CAP,
                        "--batchgate.launch.slot-recheck=100ms",
                        "--batchgate.runner.adoption-interval=500ms",
                        "--batchgate.runner.launch-lease=3s",
                        "--batchgate.runner.deadline-interval=200ms"));
    }
}
