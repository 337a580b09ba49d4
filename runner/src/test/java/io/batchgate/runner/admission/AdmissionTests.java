package io.batchgate.runner.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.ParamViolation;
import io.batchgate.runner.admission.AdmissionRequest.Requester;
import io.batchgate.runner.admission.Admitted.Accepted;
import io.batchgate.runner.admission.Admitted.Refused;
import io.batchgate.runner.admission.Admitted.Replayed;
import io.batchgate.runner.ledger.Outbox;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.RunStatus;
import io.batchgate.runner.testing.AdmissionPath;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Admission called directly, without HTTP, on the selected database (H2, and MariaDB in the
 * second surefire execution): what each outcome stores, and what it leaves alone.
 */
@Tag("sql")
class AdmissionTests {

    private static final Requester API = new Requester("ci", RunSource.api(), "127.0.0.1", "test");

    @TempDir
    Path dir;

    private final io.batchgate.runner.runtime.ecs.sim.MutableClock clock =
            new io.batchgate.runner.runtime.ecs.sim.MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
    private final AtomicInteger wakeups = new AtomicInteger();
    private final List<Run> audited = new ArrayList<>();
    private AdmissionPath path;
    private JdbcClient jdbc;
    private RunLedger ledger;
    private Outbox outbox;
    private Admission admission;
    private boolean auditFails;

    @BeforeEach
    void setUp() throws Exception {
        path = AdmissionPath.open(dir, """
                jobs:
                  report:
                    local: { command: ["true"] }
                    params:
                      COUNT: { type: int, min: 1, max: 9 }
                      MODE: { type: enum, values: [full, quick] }
                  nightly:
                    local: { command: ["true"] }
                    concurrency: { overlap: forbid }
                  queued:
                    local: { command: ["true"] }
                    concurrency: { overlap: queue, maxQueued: 2, maxConcurrent: 1 }
                  latest:
                    local: { command: ["true"] }
                    concurrency: { overlap: replace }
                  cloud:
                    ecs: { cluster: batch, taskDefinition: "task:1", container: app }
                """, clock, wakeups::incrementAndGet, (requester, run) -> {
            if (auditFails) {
                throw new IllegalStateException("audit trail unavailable");
            }
            audited.add(run);
        });
        jdbc = path.jdbc();
        ledger = path.ledger();
        outbox = path.outbox();
        admission = path.admission();
    }

    @AfterEach
    void close() {
        path.close();
    }

    @Test
    void anAcceptedRunIsStoredWithItsOutboxRowAndAuditRecordAndTheRelayIsWoken() {
        Admitted admitted = admission.accept(AdmissionRequest.of("report", Map.of("COUNT", "3"), API));

        assertThat(admitted).isInstanceOf(Accepted.class);
        Run run = ((Accepted) admitted).run();
        Run stored = ledger.get(run.id());
        assertThat(stored.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(stored.params()).containsEntry("COUNT", "3");
        assertThat(stored.requestedBy()).isEqualTo("ci");
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(audited).extracting(Run::id).containsExactly(run.id());
        assertThat(wakeups).hasValue(1);
    }

    @Test
    void theSourceIsStoredAndReadBack() {
        RunSource schedule = RunSource.schedule("nightly-report", Instant.parse("2026-12-03T02:00:00Z"));
        Accepted jobctl = (Accepted) admission.accept(
                AdmissionRequest.of("report", Map.of(), new Requester("ci", RunSource.jobctl(), "127.0.0.1", "test")));
        Accepted scheduled = (Accepted) admission.accept(
                AdmissionRequest.of("report", Map.of(), new Requester("scheduler", schedule, "replica-1", "schedule")));

        assertThat(ledger.get(jobctl.run().id()).source()).isEqualTo(RunSource.jobctl());
        assertThat(ledger.get(scheduled.run().id()).source().value())
                .isEqualTo("schedule:nightly-report@2026-12-03T02:00:00Z");
        assertThat(ledger.findAll(List.of(jobctl.run().id(), scheduled.run().id())))
                .extracting(run -> run.source().value())
                .containsExactlyInAnyOrder("jobctl", "schedule:nightly-report@2026-12-03T02:00:00Z");
    }

    /** Rows stored before the column existed were all HTTP triggers: the changeset's default says so. */
    @Test
    void runsStoredWithoutASourceReadBackAsApi() {
        Accepted accepted = (Accepted) admission.accept(
                AdmissionRequest.of("report", Map.of(), new Requester("ci", RunSource.jobctl(), "127.0.0.1", "test")));
        jdbc.sql("UPDATE bg_run SET source = DEFAULT WHERE id = :id")
                .param("id", accepted.run().id().value())
                .update();

        assertThat(ledger.get(accepted.run().id()).source()).isEqualTo(RunSource.api());
    }

    /**
     * A key replays its run for the retention (7 days here); after it the same key starts a new run,
     * whether the sweeper has cleared the old key yet or not, and a sweep clears only expired keys.
     */
    @Test
    void anIdempotencyKeyExpiresAfterItsRetentionAndIsSwept() {
        AdmissionRequest old =
                AdmissionRequest.of("report", Map.of("COUNT", "3"), API).withIdempotencyKey("k-old");
        AdmissionRequest young =
                AdmissionRequest.of("report", Map.of("COUNT", "3"), API).withIdempotencyKey("k-young");
        Accepted oldRun = (Accepted) admission.accept(old);
        clock.advance(Duration.ofDays(6));
        Accepted youngRun = (Accepted) admission.accept(young);
        assertThat(admission.accept(old)).as("6 days on, still replays").isInstanceOf(Replayed.class);

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        IdempotencyKeySweeper sweeper = new IdempotencyKeySweeper(ledger, Duration.ofDays(7), 1, clock);
        assertThat(sweeper.sweep()).as("only the key older than 7 days").isEqualTo(1);
        assertThat(ledger.findByIdempotencyKey("ci", "report", "k-old")).isEmpty();
        assertThat(admission.accept(young))
                .as("a key younger than retention replays")
                .isInstanceOf(Replayed.class);
        Admitted replayedOld = admission.accept(old);
        assertThat(replayedOld).as("an expired key starts a new run").isInstanceOf(Accepted.class);
        assertThat(((Accepted) replayedOld).run().id())
                .isNotEqualTo(oldRun.run().id());

        // not swept yet: admission frees the expired key itself
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        Admitted afterExpiry = admission.accept(young);
        assertThat(afterExpiry).isInstanceOf(Accepted.class);
        assertThat(((Accepted) afterExpiry).run().id())
                .isNotEqualTo(youngRun.run().id());
        assertThat(ledger.findByIdempotencyKey("ci", "report", "k-young"))
                .map(Run::id)
                .contains(((Accepted) afterExpiry).run().id());
    }

    @Test
    void theRetentionIsAtLeastADay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new IdempotencyProperties(Duration.ofHours(23), Duration.ofMinutes(10), 500))
                .hasMessageContaining("at least 24h");
        assertThat(new IdempotencyProperties(Duration.ofHours(24), Duration.ofMinutes(10), 500).retention())
                .isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheRunAndOtherParamsAreRefused() {
        AdmissionRequest first =
                AdmissionRequest.of("report", Map.of("COUNT", "3"), API).withIdempotencyKey("k-1");
        Accepted accepted = (Accepted) admission.accept(first);

        Admitted again = admission.accept(first);
        Admitted otherParams = admission.accept(
                AdmissionRequest.of("report", Map.of("COUNT", "4"), API).withIdempotencyKey("k-1"));

        assertThat(again).isInstanceOf(Replayed.class);
        assertThat(((Replayed) again).run().id()).isEqualTo(accepted.run().id());
        assertThat(otherParams)
                .isEqualTo(new Refused(new Refusal.KeyReused(
                        Refusal.Key.IDEMPOTENCY, accepted.run().id())));
        assertThat(outbox.size()).isEqualTo(1);
        assertThat(audited).hasSize(1);
        assertThat(wakeups).hasValue(1);
    }

    @Test
    void anUnknownJobIsRefused() {
        assertThat(admission.accept(AdmissionRequest.of("no-such-job", Map.of(), API)))
                .isEqualTo(new Refused(new Refusal.UnknownJob("no-such-job")));
        assertThat(admission.dryRun("no-such-job", Map.of()))
                .isEqualTo(new Refused(new Refusal.UnknownJob("no-such-job")));
        assertThat(storedRuns()).isZero();
    }

    @Test
    void invalidParamsAreRefusedWithEveryViolation() {
        Admitted admitted = admission.accept(
                AdmissionRequest.of("report", Map.of("COUNT", "12", "MODE", "slow", "EXTRA", "x"), API));

        assertThat(admitted).isInstanceOf(Refused.class);
        Refusal.InvalidParams invalid = (Refusal.InvalidParams) ((Refused) admitted).reason();
        assertThat(invalid.job()).isEqualTo("report");
        assertThat(invalid.violations())
                .extracting(ParamViolation::param)
                .containsExactlyInAnyOrder("COUNT", "MODE", "EXTRA");
        assertThat(storedRuns()).isZero();
        assertThat(wakeups).hasValue(0);
    }

    @Test
    void aJobWhoseRuntimeThisDeploymentLacksIsRefused() {
        Admitted admitted = admission.accept(AdmissionRequest.of("cloud", Map.of(), API));

        assertThat(admitted).isInstanceOf(Refused.class);
        assertThat(((Refused) admitted).reason()).isInstanceOf(Refusal.NotRunnable.class);
        assertThat(storedRuns()).isZero();
    }

    @Test
    void overlapForbidStoresASkippedRunThatNamesTheActiveOne() {
        Accepted first = (Accepted) admission.accept(AdmissionRequest.of("nightly", Map.of(), API));

        Accepted second = (Accepted) admission.accept(AdmissionRequest.of("nightly", Map.of(), API));

        assertThat(second.skipped()).isTrue();
        assertThat(second.blockedBy()).contains(first.run().id());
        assertThat(ledger.get(second.run().id()).status()).isEqualTo(RunStatus.SKIPPED);
        assertThat(outbox.size()).as("a skipped run is never queued").isEqualTo(1);
        assertThat(wakeups).hasValue(1);
        assertThat(audited).extracting(Run::status).containsExactly(RunStatus.QUEUED, RunStatus.SKIPPED);
    }

    @Test
    void maxQueuedRefusesOnceTheQueueIsFull() {
        admission.accept(AdmissionRequest.of("queued", Map.of(), API));
        admission.accept(AdmissionRequest.of("queued", Map.of(), API));

        assertThat(admission.accept(AdmissionRequest.of("queued", Map.of(), API)))
                .isEqualTo(new Refused(new Refusal.QueueFull("queued", 2)));
        assertThat(storedRuns()).isEqualTo(2);
    }

    @Test
    void overlapReplaceCancelsTheActiveRunAfterCommitting() {
        Accepted older = (Accepted) admission.accept(AdmissionRequest.of("latest", Map.of(), API));

        Accepted newer = (Accepted) admission.accept(AdmissionRequest.of("latest", Map.of(), API));

        assertThat(newer.replaced()).containsExactly(older.run().id());
        assertThat(ledger.get(older.run().id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ledger.get(newer.run().id()).status()).isEqualTo(RunStatus.QUEUED);
    }

    /** The audit record is written in the run's transaction: when it cannot be, nothing is stored. */
    @Test
    void theRunItsOutboxRowAndItsAuditRecordAreOneTransaction() {
        auditFails = true;

        assertThatThrownBy(() -> admission.accept(AdmissionRequest.of("report", Map.of(), API)))
                .hasMessageContaining("audit trail unavailable");
        assertThat(storedRuns()).isZero();
        assertThat(outbox.size()).isZero();
        assertThat(wakeups).hasValue(0);
    }

    @Test
    void aDryRunShowsTheLaunchAndStoresNothing() {
        Previewed preview = admission.dryRun("report", Map.of("COUNT", "3"));

        assertThat(preview).isInstanceOf(DryRun.class);
        DryRun dryRun = (DryRun) preview;
        assertThat(dryRun.runtime()).isEqualTo("local");
        assertThat(dryRun.params()).containsEntry("COUNT", "3");
        assertThat(storedRuns()).isZero();
        assertThat(admission.secretNames("report")).contains(java.util.Set.of());
        assertThat(admission.secretNames("no-such-job")).isEqualTo(Optional.empty());
    }

    private long storedRuns() {
        return jdbc.sql("SELECT COUNT(*) FROM bg_run").query(Long.class).single();
    }
}
