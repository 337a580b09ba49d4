package io.batchgate.runner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.catalog.CurrentCatalog;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.monitor.Monitor;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.net.NetRunId;
import io.batchgate.runner.net.NetRunStore;
import io.batchgate.runner.net.NetRuns;
import io.batchgate.runner.net.NetTrigger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.testing.AdmissionPath;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two scheduler replicas sharing the selected database (H2, and MariaDB in the second surefire
 * execution), driven by one mutable clock: one fire per nominal time, a crash between the fire
 * and its admission recovered by the other replica, catch-up after a 3-hour outage per policy,
 * pause/resume, and fires without a run reported missed.
 */
@Tag("sql")
class SchedulerTests {

    @TempDir
    Path dir;

    private final io.batchgate.runner.runtime.ecs.sim.MutableClock clock =
            new io.batchgate.runner.runtime.ecs.sim.MutableClock(Instant.parse("2026-12-03T09:59:00Z"));
    private final List<Monitor.MissedFire> missed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private AdmissionPath path;
    private JdbcClient jdbc;
    private RunLedger ledger;
    private Admission admission;
    private CurrentCatalog catalog;
    private FireLedger fires;
    private NetRuns netRuns;
    private Scheduler replicaA;
    private Scheduler replicaB;

    @BeforeEach
    void setUp() throws Exception {
        path = AdmissionPath.open(dir, """
                jobs:
                  hourly:
                    local: { command: ["true"] }
                    params: { DAY: { type: date } }
                    schedule: { cron: "0 * * * *", params: { DAY: "${AJSEXDATE}" } }
                  once:
                    local: { command: ["true"] }
                    schedule: { cron: "0 * * * *", catchUp: once }
                  all:
                    local: { command: ["true"] }
                    schedule: { cron: "*/20 * * * *", catchUp: all, catchUpMax: 5, grace: 5m }
                  broken:
                    local: { command: ["true"] }
                    params: { N: { type: int, max: 3 } }
                    schedule: { days: every-day, at: "12:30", params: { N: "${nominalDate}" }, grace: 2m }
                  member:
                    local: { command: ["true"] }
                    params: { D: { type: date, required: true } }
                nets:
                  nightly-net:
                    params: { DAY: { type: date, required: true } }
                    schedule: { cron: "15 * * * *", params: { DAY: "${AJSEXDATE}" } }
                    members:
                      first: { job: member, params: { D: "${DAY}" } }
                      second: { job: member, params: { D: "${DAY}" }, after: [first] }
                """, clock, () -> {}, (requester, run) -> {});
        jdbc = path.jdbc();
        ledger = path.ledger();
        admission = path.admission();
        catalog = path.catalog();
        netRuns = new NetRuns(
                new NetRunStore(jdbc, JsonMapper.builder().build()),
                catalog,
                admission,
                ledger,
                path.canceller(),
                path.tx(),
                clock,
                new Random(13));
        fires = new FireLedger(jdbc);
        Monitor monitor = new Monitor() {
            @Override
            public void attemptStarted(io.batchgate.runner.run.RunEvent.AttemptStarted started) {}

            @Override
            public void attemptRetried(io.batchgate.runner.run.RunEvent.RetryScheduled retry) {}

            @Override
            public void runEnded(io.batchgate.runner.run.RunEvent.RunFinished finished) {}

            @Override
            public void fireMissed(MissedFire fire) {
                missed.add(fire);
            }
        };
        TransactionTemplate template = new TransactionTemplate(path.transactions());
        replicaA = new Scheduler(
                catalog,
                fires,
                List.of(new JobFireTarget(admission, "a"), new NetFireTarget(new NetTrigger(netRuns))),
                monitor,
                template,
                metrics,
                clock,
                "a",
                Duration.ofMinutes(2));
        replicaB = new Scheduler(
                catalog,
                fires,
                List.of(new JobFireTarget(admission, "b"), new NetFireTarget(new NetTrigger(netRuns))),
                monitor,
                template,
                metrics,
                clock,
                "b",
                Duration.ofMinutes(2));
    }

    @AfterEach
    void close() {
        path.close();
    }

    private List<Run> runsOf(String job) {
        return jdbc
                .sql("SELECT id FROM bg_run WHERE job = :job ORDER BY created_at")
                .param("job", job)
                .query(String.class)
                .list()
                .stream()
                .map(id -> ledger.get(new io.batchgate.runner.run.RunId(id)))
                .toList();
    }

    @Test
    void twoReplicasFireEachNominalTimeOnceWithItsParamsAndSource() {
        replicaA.pass();
        replicaB.pass();
        clock.advance(Duration.ofMinutes(1).plusSeconds(3));
        Scheduler.Pass a = replicaA.pass();
        Scheduler.Pass b = replicaB.pass();
        assertThat(a.fired() + b.fired()).as("hourly, once and all at 10:00").isEqualTo(3);
        assertThat(b.fired()).isZero();
        List<Run> runs = runsOf("hourly");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).source()).isEqualTo(RunSource.schedule("hourly", Instant.parse("2026-12-03T10:00:00Z")));
        assertThat(runs.get(0).params()).containsEntry("DAY", "2026-12-03");
        assertThat(runs.get(0).requestedBy()).isEqualTo(JobFireTarget.CALLER);
        assertThat(fires.last("hourly").orElseThrow().runId())
                .isEqualTo(runs.get(0).id().value());
        clock.advance(Duration.ofHours(1));
        replicaB.pass();
        replicaA.pass();
        assertThat(runsOf("hourly")).hasSize(2);
        assertThat(metrics.get("batchgate.schedule.lag")
                        .tag("schedule", "hourly")
                        .timer()
                        .count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aScheduledNetFiresOncePerNominalTimeAcrossReplicasAndAdmitsItsFirstMember() {
        clock.set(Instant.parse("2026-12-03T10:14:00Z"));
        replicaA.pass();
        replicaB.pass();
        clock.advance(Duration.ofMinutes(1).plusSeconds(3));
        Scheduler.Pass a = replicaA.pass();
        Scheduler.Pass b = replicaB.pass();
        assertThat(a.fired() + b.fired()).as("only nightly-net fires at 10:15").isEqualTo(1);
        assertThat(b.fired()).isZero();
        Instant nominal = Instant.parse("2026-12-03T10:15:00Z");
        NetRun net =
                netRuns.get(new NetRunId(fires.last("nightly-net").orElseThrow().runId()));
        assertThat(net.net()).isEqualTo("nightly-net");
        assertThat(net.source()).isEqualTo(RunSource.schedule("nightly-net", nominal));
        assertThat(net.params()).containsEntry("DAY", "2026-12-03");
        assertThat(net.requestedBy()).isEqualTo(NetTrigger.CALLER);
        List<Run> members = runsOf("member");
        assertThat(members).as("first is admitted, second waits for it").hasSize(1);
        assertThat(members.get(0).params()).containsEntry("D", "2026-12-03");
        assertThat(net.member("first").runId()).isEqualTo(members.get(0).id().value());
        // firing the same nominal time again (a replica that crashed after starting it) replays the net run
        Fire fire = new Fire(
                "nightly-net",
                java.time.LocalDate.of(2026, 12, 3),
                new io.batchgate.catalog.ScheduleSpec.StartTime(10 * 60 + 15),
                nominal);
        assertThat(new NetFireTarget(new NetTrigger(netRuns))
                        .fire(
                                catalog.get().schedules().get("nightly-net"),
                                fire,
                                Map.of("DAY", "2026/12/03"),
                                Scheduler.idempotencyKey(fire)))
                .isEqualTo(new FireTarget.Outcome.Started(net.id().value()));
        assertThat(runsOf("member")).hasSize(1);
        clock.advance(Duration.ofHours(1));
        replicaB.pass();
        replicaA.pass();
        assertThat(runsOf("member")).as("11:15 starts a second net run").hasSize(2);
    }

    @Test
    void aFireInsertedByAReplicaThatDiedBeforeAdmittingIsAdmittedOnceByTheOther() {
        replicaA.pass();
        clock.advance(Duration.ofMinutes(1).plusSeconds(3));
        Fire fire = new Fire(
                "hourly",
                java.time.LocalDate.of(2026, 12, 3),
                new io.batchgate.catalog.ScheduleSpec.StartTime(600),
                Instant.parse("2026-12-03T10:00:00Z"));
        // replica A inserted the fire and died before admission
        assertThat(fires.tryInsert(
                        fire, false, clock.instant(), "a", fire.nominal().plus(Duration.ofMinutes(10))))
                .isTrue();
        Scheduler.Pass b = replicaB.pass();
        assertThat(b.duplicates()).isEqualTo(1);
        assertThat(b.admitted())
                .as("hourly's orphan, and once and all which fire at 10:00 too")
                .isEqualTo(3);
        replicaA.pass();
        assertThat(runsOf("hourly")).hasSize(1);
        // admitting the same fire again replays its run
        assertThat(new JobFireTarget(admission, "a")
                        .fire(
                                catalog.get().schedules().get("hourly"),
                                fire,
                                Map.of("DAY", "2026/12/03"),
                                Scheduler.idempotencyKey(fire)))
                .isEqualTo(new FireTarget.Outcome.Started(
                        runsOf("hourly").get(0).id().value()));
    }

    @Test
    void catchUpAfterAThreeHourOutageFollowsEachSchedulesPolicy() {
        replicaA.pass();
        clock.advance(Duration.ofHours(3));
        // 10:00 to 12:40 missed while down; the 12:59 pass sees them all as late
        replicaA.pass();
        replicaB.pass();
        assertThat(runsOf("hourly")).as("skip").isEmpty();
        assertThat(runsOf("once"))
                .as("once: the latest missed fire")
                .extracting(Run::source)
                .containsExactly(RunSource.schedule("once", Instant.parse("2026-12-03T12:00:00Z")));
        assertThat(runsOf("all"))
                .as("all: the latest five of nine (10:00 to 12:40 every 20 minutes)")
                .hasSize(5);
        assertThat(fires.state("hourly").orElseThrow().catchUpNote())
                .contains("3 fire(s) missed")
                .contains("caught up 0 (catchUp skip)");
        assertThat(metrics.counter("batchgate.schedule.skipped", "schedule", "all")
                        .count())
                .isEqualTo(4.0);
        clock.advance(Duration.ofMinutes(1).plusSeconds(2));
        replicaB.pass();
        assertThat(runsOf("hourly")).as("13:00 fires normally").hasSize(1);
    }

    @Test
    void aPausedScheduleDoesNotFireAndDoesNotCatchUpWhatFellDueWhilePaused() {
        replicaA.pass();
        Schedules schedules = new Schedules(catalog, fires, clock);
        assertThat(schedules.pause("hourly", "operator")).hasValue(true);
        assertThat(schedules.pause("hourly", "operator")).hasValue(false);
        assertThat(schedules.pause("nope", "operator")).isEmpty();
        clock.advance(Duration.ofMinutes(1).plusSeconds(3));
        replicaA.pass();
        assertThat(runsOf("hourly")).isEmpty();
        assertThat(schedules.find("hourly").orElseThrow().paused()).isTrue();
        assertThat(schedules.find("hourly").orElseThrow().nextFires()).isEmpty();
        assertThat(schedules.resume("hourly", "operator")).hasValue(true);
        replicaA.pass();
        assertThat(runsOf("hourly")).isEmpty();
        clock.advance(Duration.ofHours(1));
        replicaA.pass();
        assertThat(runsOf("hourly")).hasSize(1);
        assertThat(schedules.find("hourly").orElseThrow().nextFires())
                .first()
                .isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
    }

    @Test
    void aFireWithoutARunWithinItsGraceIsReportedOnceWithTheMonitor() {
        clock.set(Instant.parse("2026-12-03T12:29:00Z"));
        replicaA.pass();
        clock.advance(Duration.ofMinutes(1).plusSeconds(3));
        replicaA.pass();
        assertThat(fires.last("broken").orElseThrow().refusal()).contains("InvalidParams");
        assertThat(missed).isEmpty();
        clock.advance(Duration.ofMinutes(3));
        replicaA.pass();
        replicaB.pass();
        assertThat(missed).hasSize(1);
        assertThat(missed.get(0).job()).isEqualTo("broken");
        assertThat(missed.get(0).reason()).contains("admission refused it");
        assertThat(metrics.counter("batchgate.schedule.missed", "schedule", "broken")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aScheduleRemovedAndAddedBackDoesNotCatchUpWhatFellDueWhileItWasGone() throws Exception {
        replicaA.pass();
        Path jobs = dir.resolve("catalog/jobs.yaml");
        String withOnce = Files.readString(jobs);
        Files.writeString(jobs, withOnce.replace("schedule: { cron: \"0 * * * *\", catchUp: once }", ""));
        catalog.reload();
        assertThat(catalog.get().schedules()).doesNotContainKey("once");
        clock.advance(Duration.ofHours(3));
        replicaA.pass();
        Files.writeString(jobs, withOnce);
        catalog.reload();
        clock.advance(Duration.ofSeconds(5));
        replicaA.pass();
        assertThat(runsOf("once"))
                .as("10:00 to 12:00 fell due while it was gone")
                .isEmpty();
        clock.advance(Duration.ofHours(1));
        replicaA.pass();
        assertThat(runsOf("once")).as("13:00 fires").hasSize(1);
    }
}
