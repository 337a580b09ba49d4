package io.batchgate.runner.monitor.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.JobDefinition;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.RunEventDispatcher;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.logs.AttemptLogs;
import io.batchgate.runner.logs.LocalLogFiles;
import io.batchgate.runner.logs.LogLocation;
import io.batchgate.runner.logs.LogSource;
import io.batchgate.runner.logs.LogSources;
import io.batchgate.runner.logs.RunLogs;
import io.batchgate.runner.logs.cloudwatch.CloudWatchLogStore;
import io.batchgate.runner.logs.cloudwatch.sim.CloudWatchLogsSimulator;
import io.batchgate.runner.monitor.MonitorProperties;
import io.batchgate.runner.monitor.RunHeartbeats;
import io.batchgate.runner.monitor.RunLogTail;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Answer;
import io.batchgate.runner.monitor.healthchecks.RecordingHealthchecks.Received;
import io.batchgate.runner.run.AttemptOutcome;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.run.StopCause;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import io.batchgate.runner.runtime.ecs.sim.MutableClock;
import io.batchgate.runner.runtime.local.AttemptDirectories;
import io.batchgate.runner.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Heartbeats from stored run transitions to a real HTTP server: the ledger writes pings in the
 * transition's transaction, the pinger sends them over the wire, the server records what came.
 */
@Tag("sql")
class HealthchecksPingTests {

    private static final String CHECK = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    private static final String PING = "/ping/" + CHECK;

    /** CloudWatch's final drain as configured by default: 5 s settle, then 2 empty pages 1 s apart. */
    private static final LogSource.Drain DRAIN = new LogSource.Drain(Duration.ofSeconds(5), 2, Duration.ofSeconds(1));

    private static RecordingHealthchecks server;
    private static CloudWatchLogsSimulator cloudWatch;
    private static CloudWatchLogsClient cloudWatchClient;
    private static DataSource dataSource;
    private static Path dir;

    private final Random random = new Random();
    private final MutableClock clock = MutableClock.fixed();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private MonitorProperties properties;
    private RunLedger ledger;
    private TransactionTemplate tx;
    private PingOutbox outbox;
    private CurrentCatalog catalog;
    private HealthchecksPinger pinger;
    private AttemptDirectories directories;
    private HealthchecksMonitor monitor;

    @BeforeAll
    static void startServerAndDatabase() throws IOException {
        server = new RecordingHealthchecks();
        cloudWatch = CloudWatchLogsSimulator.start();
        cloudWatchClient = cloudWatch.client();
        dataSource = TestDatabases.migrated(TestDatabases.newSelectedDatabase());
        dir = Files.createTempDirectory("batchgate-monitor-");
        Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(
                dir.resolve("catalog/jobs.yaml"), """
                jobs:
                  billing:
                    local: { command: [x] }
                    exitCodes: { success: [0], warning: [1] }
                    retry:
                      maxAttempts: 2
                      rules: [{ exitCodes: [75], action: RETRY }]
                    monitor: { url: "%s%s" }
                  by-slug:
                    local: { command: [x] }
                    monitor: { slug: by-slug }
                  slow-start:
                    local: { command: [x] }
                    retry:
                      maxAttempts: 2
                      rules: [{ startTimedOut: true, action: RETRY }]
                    timeouts: { start: 1m }
                    monitor: { url: "%s%s" }
                  quiet:
                    local: { command: [x] }
                """.formatted(server.baseUrl(), PING, server.baseUrl(), PING));
    }

    @AfterAll
    static void stopServer() {
        server.close();
        cloudWatchClient.close();
        cloudWatch.close();
    }

    @BeforeEach
    void wire() {
        server.reset();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("DELETE FROM bg_monitor_ping").update();
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        configure(properties(Duration.ofSeconds(5), 3));
    }

    private MonitorProperties properties(Duration timeout, int maxTries) {
        return new MonitorProperties(
                true,
                URI.create(server.baseUrl() + "/"),
                "ping-key-1",
                timeout,
                null,
                maxTries,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                0,
                null,
                null);
    }

    private void configure(MonitorProperties next) {
        properties = next;
        JdbcClient jdbc = JdbcClient.create(dataSource);
        outbox = new PingOutbox(jdbc);
        catalog = new CurrentCatalog(dir.resolve("catalog"), new CatalogLoader());
        PingMetrics metrics = new PingMetrics(meters, "job");
        monitor = new HealthchecksMonitor(outbox, new PingUrls(next), catalog, metrics, clock);
        ledger = new RunLedger(
                jdbc, JsonMapper.builder().build(), new RunEventDispatcher(List.of(new RunHeartbeats(monitor))));
        directories = new AttemptDirectories(dir);
        pinger = new HealthchecksPinger(
                outbox,
                // the log port, as GET /runs/{id}/logs reads: local files, or CloudWatch streams
                new RunLogTail(new RunLogs(
                        ledger,
                        new LogSources(
                                new LocalLogFiles(directories),
                                Optional.of(new CloudWatchLogStore(cloudWatchClient, DRAIN))),
                        clock)),
                new PingBodyLimits(next.defaultBodyLimit()),
                metrics,
                next,
                HealthchecksConfiguration.httpClient(next),
                clock);
    }

    // --- driving runs through their real transitions, each stored in its own transaction ---

    private RunId accept(String job) {
        Run run = Run.accept(
                RunId.next(clock.millis(), random), job, "v1", Map.of(), Set.of(), "test", null, clock.instant());
        tx.executeWithoutResult(s -> ledger.insert(run));
        return run.id();
    }

    private Run change(RunId id, Consumer<Run> transition) {
        return tx.execute(s -> {
            Run run = ledger.get(id);
            transition.accept(run);
            ledger.update(run);
            return run;
        });
    }

    private JobDefinition job(String name) {
        return catalog.get().job(name).orElseThrow();
    }

    private Run startAttempt(RunId id) {
        change(id, run -> run.claim("local", clock.instant()));
        return change(id, run -> run.started(new TaskHandle("local", "1@1"), clock.instant()));
    }

    private Run exit(RunId id, TaskExit exit) {
        JobDefinition billing = job("billing");
        return change(
                id,
                run -> run.finished(exit, billing.exitCodes(), billing.retry(), n -> Duration.ZERO, clock.instant()));
    }

    private void output(RunId id, int attempt, String text) throws IOException {
        Path file = directories.output(id, attempt);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String rid(RunId id, int attempt) {
        return UUID.nameUUIDFromBytes(("batchgate/" + id.value() + "/" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private Received received(String pathAndQuery) {
        return server.received().stream()
                .filter(r -> r.pathAndQuery().equals(pathAndQuery))
                .findFirst()
                .orElseThrow();
    }

    private double count(String outcome) {
        return meters.counter("batchgate.monitor.pings", "source", "job", "outcome", outcome)
                .count();
    }

    // --- the protocol ---

    /** A schedule's fire without a run: "did the job even fire?" goes to the job's check as /fail. */
    @Test
    void aMissedFireSendsFailWithoutARunIdAndAJobWithoutMonitorSendsNothing() {
        java.time.Instant nominal = java.time.Instant.parse("2026-12-03T16:30:00Z");
        tx.executeWithoutResult(s -> monitor.fireMissed(new io.batchgate.runner.monitor.Monitor.MissedFire(
                "billing", "billing", nominal, java.time.LocalDate.of(2026, 12, 3), "no run was started")));
        tx.executeWithoutResult(s -> monitor.fireMissed(new io.batchgate.runner.monitor.Monitor.MissedFire(
                "quiet", "quiet", nominal, java.time.LocalDate.of(2026, 12, 3), "no run was started")));

        assertThat(pinger.drain()).isEqualTo(1);

        assertThat(server.pathsAndQueries()).containsExactly(PING + "/fail");
        assertThat(new String(server.received().get(0).body(), StandardCharsets.UTF_8))
                .contains("schedule billing")
                .contains("2026-12-03T16:30:00Z")
                .contains("no run within its grace: no run was started");
    }

    @Test
    void aSuccessfulRunSendsStartThenTheSuccessPingWithTheAttemptsRid() {
        RunId id = accept("billing");
        startAttempt(id);
        exit(id, TaskExit.code(0));

        assertThat(pinger.drain()).isEqualTo(2);

        String rid = rid(id, 1);
        assertThat(server.pathsAndQueries()).containsExactly(PING + "/start?rid=" + rid, PING + "?rid=" + rid);
        assertThat(server.received()).extracting(Received::method).containsOnly("POST");
        assertThat(server.received().get(0).body()).isEmpty();
        assertThat(server.received().get(1).text())
                .startsWith("batchgate run " + id + " of billing attempt 1 SUCCEEDED: exit code 0 is a success");
        assertThat(outbox.size()).isZero();
        assertThat(count("sent")).isEqualTo(2);
        assertThat(Ping.rid(id, 1)).hasToString(rid).isNotEqualTo(Ping.rid(id, 2));
    }

    @Test
    void exitCode3SendsSlash3WithTheLogsTailWithinTheDefaultBodyLimit() throws IOException {
        RunId id = accept("billing");
        startAttempt(id);
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            log.append("line ").append(i).append(" of the billing export\n");
        }
        output(id, 1, log + "ERROR: the warehouse refused the load\n");
        exit(id, TaskExit.code(3));

        pinger.drain();

        Received failure = server.received().get(1);
        assertThat(failure.pathAndQuery()).isEqualTo(PING + "/3?rid=" + rid(id, 1));
        assertThat(failure.body().length).isLessThanOrEqualTo(10_000).isGreaterThan(9_000);
        assertThat(failure.text())
                .startsWith("batchgate run " + id + " of billing attempt 1 FAILED: exit code 3 is a failure")
                .contains("\n--- last lines of the output ---\nline ")
                .endsWith("line 2000 of the billing export\nERROR: the warehouse refused the load\n")
                .doesNotContain("line 1 of");
    }

    /** The log tail a failure ping carries is scrubbed of the secret param values the run was given. */
    @Test
    void theFailurePingsLogTailShowsNoSecretValue() throws IOException {
        Run run = Run.accept(
                RunId.next(clock.millis(), random),
                "billing",
                "v1",
                Map.of("PASSWORD", "hunter2-Xy7-secret"),
                Set.of("PASSWORD"),
                "test",
                null,
                clock.instant());
        tx.executeWithoutResult(s -> ledger.insert(run));
        startAttempt(run.id());
        output(run.id(), 1, "connecting with hunter2-Xy7-secret\nERROR: refused\n");
        exit(run.id(), TaskExit.code(3));

        pinger.drain();

        Received failure = received(PING + "/3?rid=" + rid(run.id(), 1));
        assertThat(failure.text()).contains("connecting with ******").doesNotContain("hunter2-Xy7-secret");
    }

    @Test
    void anEcsAttemptsFailurePingCarriesItsCloudWatchTailOnceTheDrainTimeHasPassed() {
        RunId id = accept("billing");
        change(id, run -> run.claim("ecs", clock.instant()));
        change(
                id,
                run -> run.started(new TaskHandle("ecs", "arn:aws:ecs:eu-west-1:1:task/batch/abc"), clock.instant()));
        LogLocation stream = new LogLocation("/ecs/billing", "ecs/app/abc-" + id.value());
        new AttemptLogs(JdbcClient.create(dataSource)).located(id, 1, stream, null);
        cloudWatch.emit(
                stream.group(),
                stream.stream(),
                clock.instant(),
                IntStream.rangeClosed(1, 2000)
                        .mapToObj(i -> "line " + i + " of the billing export")
                        .toList());
        exit(id, TaskExit.code(3));

        pinger.drain();

        // the start went out; the failure waits for lines still on their way from the stopped task
        assertThat(server.pathsAndQueries()).containsExactly(PING + "/start?rid=" + rid(id, 1));
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(count("failed")).isZero();
        cloudWatch.emit(
                stream.group(), stream.stream(), clock.instant(), List.of("ERROR: the warehouse refused the load"));
        clock.advance(Duration.ofSeconds(5)); // settle passed, but not the page interval
        pinger.drain();
        assertThat(server.received()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        pinger.drain();

        Received failure = received(PING + "/3?rid=" + rid(id, 1));
        assertThat(failure.body().length).isLessThanOrEqualTo(10_000).isGreaterThan(9_000);
        assertThat(failure.text())
                .startsWith("batchgate run " + id + " of billing attempt 1 FAILED: exit code 3 is a failure")
                .contains("\n--- last lines of the output ---\nline ")
                .endsWith("line 2000 of the billing export\nERROR: the warehouse refused the load\n")
                .doesNotContain("line 1 of")
                .doesNotContain("── "); // the job's lines, not batchgate's markers
        assertThat(outbox.size()).isZero();
        assertThat(count("sent")).isEqualTo(2);
        assertThat(count("failed")).isZero();
    }

    @Test
    void anEndWithoutExitCodeSendsFailAndARunCancelledBeforeItsFirstAttemptSendsFailWithoutRid() {
        RunId lost = accept("billing");
        startAttempt(lost);
        exit(lost, TaskExit.withoutCode("task record lost"));
        RunId cancelled = accept("billing");
        change(
                cancelled,
                run -> run.cancel("by test", StopCause.CANCEL, job("billing").timeouts(), clock.instant()));

        pinger.drain();

        // the two runs' pings go out concurrently; each run's own pings keep their order
        assertThat(server.pathsAndQueries())
                .containsExactlyInAnyOrder(
                        PING + "/start?rid=" + rid(lost, 1), PING + "/fail?rid=" + rid(lost, 1), PING + "/fail")
                .containsSubsequence(PING + "/start?rid=" + rid(lost, 1), PING + "/fail?rid=" + rid(lost, 1));
        assertThat(received(PING + "/fail?rid=" + rid(lost, 1)).text())
                .contains("FAILED: task ended without an exit code: task record lost");
        assertThat(received(PING + "/fail").text()).contains("CANCELLED: cancelled: by test");
    }

    @Test
    void aRetriedAttemptSendsLogAndOnlyTheRunsFinalOutcomePagesAnyone() throws IOException {
        RunId id = accept("billing");
        startAttempt(id);
        output(id, 1, "warehouse busy\n");
        exit(id, TaskExit.code(75));
        startAttempt(id);
        exit(id, TaskExit.code(0));

        pinger.drain();

        String first = rid(id, 1);
        String second = rid(id, 2);
        assertThat(server.pathsAndQueries())
                .containsExactly(
                        PING + "/start?rid=" + first,
                        PING + "/log?rid=" + first,
                        PING + "/start?rid=" + second,
                        PING + "?rid=" + second);
        assertThat(server.received().get(1).text())
                .contains("attempt 1 RETRY_WAIT will be retried: attempt 1 exit code 75 is a failure")
                .endsWith("--- last lines of the output ---\nwarehouse busy\n");
    }

    /**
     * Only an attempt whose task ran is announced: a launch deferred for capacity, and the start
     * timeout of an attempt that never got a task (retried by its rule), send no ping.
     */
    @Test
    void anAttemptThatNeverGotATaskIsNeitherStartedNorRetriedInTheMonitor() {
        JobDefinition slow = job("slow-start");
        RunId id = accept("slow-start");
        change(id, run -> run.claim("local", slow.timeouts(), clock.instant()));
        change(id, run -> run.launchDeferred("no capacity", clock.instant().plusSeconds(30), clock.instant()));
        clock.advance(Duration.ofMinutes(2));
        Run waiting = change(
                id, run -> run.deadlinePassed(slow.timeouts(), slow.retry(), n -> Duration.ZERO, clock.instant()));
        assertThat(waiting.status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(waiting.currentAttempt().outcome()).isEqualTo(AttemptOutcome.NOT_STARTED);
        change(id, run -> run.claim("local", slow.timeouts(), clock.instant()));
        change(id, run -> run.started(new TaskHandle("local", "2@2"), slow.timeouts(), clock.instant()));
        change(id, run -> run.finished(TaskExit.code(0), slow.exitCodes(), clock.instant()));

        pinger.drain();

        String second = rid(id, 2);
        assertThat(server.pathsAndQueries()).containsExactly(PING + "/start?rid=" + second, PING + "?rid=" + second);
    }

    @Test
    void aWarningCodeIsASuccessWithTheWarningInTheBody() {
        RunId id = accept("billing");
        startAttempt(id);
        exit(id, TaskExit.code(1));

        pinger.drain();

        assertThat(server.pathsAndQueries().get(1)).isEqualTo(PING + "?rid=" + rid(id, 1));
        assertThat(server.received().get(1).text()).contains("exit code 1 is a warning (warning)");
    }

    @Test
    void exitStatusesOutside0To255AreNormalized() {
        assertThat(Ping.failureStatus(3)).hasValue(3);
        assertThat(Ping.failureStatus(255)).hasValue(255);
        assertThat(Ping.failureStatus(300)).hasValue(44);
        assertThat(Ping.failureStatus(-1)).hasValue(255);
        assertThat(Ping.failureStatus(256)).as("0 would read as a success").isEmpty();
    }

    @Test
    void slugMonitorsArePingedUnderThePingKeyAndJobsWithoutMonitorAreNot() {
        RunId bySlug = accept("by-slug");
        startAttempt(bySlug);
        change(bySlug, run -> run.finished(TaskExit.code(0), job("by-slug").exitCodes(), clock.instant()));
        RunId quiet = accept("quiet");
        startAttempt(quiet);

        pinger.drain();

        assertThat(server.pathsAndQueries())
                .containsExactly(
                        "/ping-key-1/by-slug/start?rid=" + rid(bySlug, 1), "/ping-key-1/by-slug?rid=" + rid(bySlug, 1));
    }

    @Test
    void slugMonitorsWithoutAPingKeyAreNamedWithFileAndLine() {
        MonitorProperties withoutKey =
                new MonitorProperties(true, null, null, null, null, 0, null, null, null, 0, null, null);

        assertThat(new PingUrls(withoutKey).unreachable(catalog.get()))
                .containsExactly("jobs.yaml:9: jobs.by-slug.monitor.slug");
        assertThat(new PingUrls(properties).unreachable(catalog.get())).isEmpty();
    }

    // --- a monitor in trouble never troubles the run ---

    @Test
    void aServerAnswering404DropsThePingAtOnceAndCountsIt() {
        server.answer(Answer.status(404));
        RunId id = accept("billing");
        startAttempt(id);
        Run ended = exit(id, TaskExit.code(0));

        assertThat(pinger.drain()).isZero();

        assertThat(ended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(server.received()).hasSize(2);
        assertThat(outbox.size()).isZero();
        assertThat(count("failed")).isEqualTo(2);
        assertThat(count("dropped")).isEqualTo(2);
    }

    /** The pinger's lines about a run's ping name the run and attempt in the MDC; a missed fire's none. */
    @Test
    void aGivenUpPingIsLoggedWithItsRunAndAttempt() {
        server.answer(Answer.status(404));
        RunId id = accept("billing");
        startAttempt(id);
        java.time.Instant nominal = java.time.Instant.parse("2026-12-03T16:30:00Z");
        tx.executeWithoutResult(s -> monitor.fireMissed(new io.batchgate.runner.monitor.Monitor.MissedFire(
                "billing", "billing", nominal, java.time.LocalDate.of(2026, 12, 3), "no run was started")));
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HealthchecksPinger.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>() {
                    @Override
                    protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                        event.prepareForDeferredProcessing(); // takes the MDC now, on the logging thread
                        super.append(event);
                    }
                };
        logged.start();
        logger.addAppender(logged);
        try {
            assertThat(pinger.drain()).isZero();
        } finally {
            logger.detachAppender(logged);
        }
        List<ch.qos.logback.classic.spi.ILoggingEvent> givenUp = List.copyOf(logged.list).stream()
                .filter(event -> event.getFormattedMessage().startsWith("gave up"))
                .toList();
        assertThat(givenUp).hasSize(2);
        assertThat(givenUp)
                .filteredOn(event -> event.getFormattedMessage().contains("START ping of run " + id))
                .singleElement()
                .satisfies(event -> assertThat(event.getMDCPropertyMap())
                        .containsEntry("runId", id.value())
                        .containsEntry("attempt", "1"));
        assertThat(givenUp)
                .filteredOn(event -> event.getFormattedMessage().contains("FAILURE ping"))
                .singleElement()
                .satisfies(event -> assertThat(event.getMDCPropertyMap()).doesNotContainKey("runId"));
    }

    @Test
    void aServerAnswering500IsTriedAgainWithBackoffAndTheRunsPingsKeepTheirOrder() {
        server.answer(Answer.status(500));
        RunId id = accept("billing");
        startAttempt(id);
        Run ended = exit(id, TaskExit.code(3));

        pinger.drain();
        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(server.pathsAndQueries())
                .as("the final ping waits for the start")
                .containsExactly(PING + "/start?rid=" + rid(id, 1));
        assertThat(count("failed")).isEqualTo(1);

        pinger.drain();
        assertThat(server.received()).as("not due before its backoff").hasSize(1);

        server.answer(Answer.ok());
        clock.advance(Duration.ofSeconds(2));
        assertThat(pinger.drain()).isEqualTo(2);
        assertThat(server.pathsAndQueries())
                .containsExactly(
                        PING + "/start?rid=" + rid(id, 1),
                        PING + "/start?rid=" + rid(id, 1),
                        PING + "/3?rid=" + rid(id, 1));
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aPingIsDroppedAfterMaxTriesAndCounted() {
        server.answer(Answer.status(503));
        RunId id = accept("billing");
        startAttempt(id);

        for (int i = 0; i < 3; i++) {
            pinger.drain();
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(server.received()).hasSize(3);
        assertThat(count("failed")).isEqualTo(3);
        assertThat(count("dropped")).isEqualTo(1);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aSlowServerTimesOutAndIsCountedAndTheRunIsUnaffected() {
        configure(properties(Duration.ofMillis(200), 3));
        server.answer(Answer.ok().after(Duration.ofSeconds(2)));
        RunId id = accept("billing");
        Run started = startAttempt(id);

        assertThat(pinger.drain()).isZero();

        assertThat(started.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(count("failed")).isEqualTo(1);
        assertThat(outbox.size()).as("kept for another try").isEqualTo(1);
    }

    @Test
    void anUnreachableServerIsCountedAndKept() throws IOException {
        RecordingHealthchecks gone = new RecordingHealthchecks();
        String url = gone.baseUrl();
        gone.close();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        new PingOutbox(jdbc)
                .add(
                        RunId.next(clock.millis(), random),
                        1,
                        Ping.Kind.START,
                        null,
                        URI.create(url + PING),
                        "",
                        clock.instant());

        assertThat(pinger.drain()).isZero();

        assertThat(count("failed")).isEqualTo(1);
        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void pingsOlderThanMaxAgeAreDroppedAndCounted() {
        server.answer(Answer.status(500));
        RunId id = accept("billing");
        startAttempt(id);
        pinger.drain();

        clock.advance(Duration.ofHours(2));
        pinger.drain();

        assertThat(outbox.size()).isZero();
        assertThat(count("dropped")).isEqualTo(1);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aPingBodyLimitHeaderShrinksTheNextFailureBody() throws IOException {
        server.answer(Answer.ok().withHeader("Ping-Body-Limit", "100"));
        RunId id = accept("billing");
        startAttempt(id);
        output(id, 1, "x".repeat(5000) + "\nthe last line says why\n");
        pinger.drain();
        exit(id, TaskExit.code(3));

        pinger.drain();

        Received failure = server.received().get(1);
        assertThat(failure.pathAndQuery()).isEqualTo(PING + "/3?rid=" + rid(id, 1));
        assertThat(failure.body().length).isLessThanOrEqualTo(100);
        assertThat(failure.text()).startsWith("batchgate run ").endsWith("the last line says why\n");
    }

    @Test
    void aPingIsWrittenInTheTransitionsTransactionAndRolledBackWithIt() {
        RunId id = accept("billing");
        change(id, run -> run.claim("local", clock.instant()));
        try {
            tx.executeWithoutResult(s -> {
                Run run = ledger.get(id);
                run.started(new TaskHandle("local", "1@1"), clock.instant());
                ledger.update(run);
                throw new IllegalStateException("the transaction fails after the save");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }

        assertThat(outbox.size()).isZero();
        assertThat(ledger.get(id).status()).isEqualTo(RunStatus.LAUNCHING);
    }
}
