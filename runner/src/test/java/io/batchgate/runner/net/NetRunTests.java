package io.batchgate.runner.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.NetDefinition;
import io.batchgate.runner.run.RunSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The net run's decisions: which member starts, which is never executed, the judgment and exit code. */
class NetRunTests {

    private static final Instant NOW = Instant.parse("2026-12-03T02:00:00Z");

    @TempDir
    Path dir;

    private NetDefinition net;

    @BeforeEach
    void fiveMembers() throws IOException {
        Files.writeString(dir.resolve("net.yaml"), """
                jobs:
                  step: { local: { command: [x] }, params: { CODE: { type: int, default: 0 } } }
                nets:
                  five:
                    members:
                      extract: { job: step }
                      load: { job: step, after: [extract] }
                      review: { job: step, afterWarning: [extract] }
                      recover: { job: step, afterFailure: [load] }
                      report: { job: step, after: [load, review] }
                """);
        net = new CatalogLoader().load(dir).net("five").orElseThrow();
    }

    private NetRun accepted() {
        return NetRun.accept(
                new NetRunId("0190a6c4-0000-7000-8000-000000000001"),
                net,
                "v1",
                Map.of(),
                "ci",
                RunSource.api(),
                null,
                null,
                NOW);
    }

    private static void end(NetRun run, String member, MemberState state, int code) {
        run.memberStarted(member, "run-" + member, NOW);
        run.memberEnded(member, "run-" + member, new MemberEnd(state, code, "test"), NOW);
    }

    @Test
    void aWarningTakesTheWarningBranchAndAJoinWaitsForAll() {
        NetRun run = accepted();
        assertThat(run.advance(net, NOW)).containsExactly("extract");

        end(run, "extract", MemberState.WARNING, 1);
        assertThat(run.advance(net, NOW)).containsExactly("load", "review");
        end(run, "load", MemberState.SUCCEEDED, 0);
        assertThat(run.advance(net, NOW)).as("review is still starting").containsExactly("review");
        assertThat(run.member("report").state())
                .as("report joins load and review")
                .isEqualTo(MemberState.WAITING);
        assertThat(run.member("recover").state()).isEqualTo(MemberState.SKIPPED);
        end(run, "review", MemberState.SUCCEEDED, 0);
        assertThat(run.advance(net, NOW)).containsExactly("report");
        end(run, "report", MemberState.SUCCEEDED, 0);
        run.advance(net, NOW);

        assertThat(run.status()).isEqualTo(NetRunStatus.ENDED);
        assertThat(run.judgment()).contains(NetJudgment.WARNING);
        assertThat(run.exitCode()).contains(1);
    }

    @Test
    void aRecoveredFailureIsAWarningAndAnUnrecoveredOneFailsTheNet() {
        NetRun recovered = accepted();
        recovered.advance(net, NOW);
        end(recovered, "extract", MemberState.SUCCEEDED, 0);
        recovered.advance(net, NOW);
        end(recovered, "load", MemberState.FAILED, 8);
        assertThat(recovered.advance(net, NOW)).containsExactly("recover");
        assertThat(recovered.member("report").state()).isEqualTo(MemberState.SKIPPED);
        assertThat(recovered.member("review").state()).isEqualTo(MemberState.SKIPPED);
        end(recovered, "recover", MemberState.SUCCEEDED, 0);
        recovered.advance(net, NOW);
        assertThat(recovered.judgment()).contains(NetJudgment.WARNING);
        assertThat(recovered.exitCode()).as("the highest member code, like JP1").contains(8);

        NetRun failed = accepted();
        failed.advance(net, NOW);
        end(failed, "extract", MemberState.SUCCEEDED, 0);
        failed.advance(net, NOW);
        end(failed, "load", MemberState.FAILED, 8);
        failed.advance(net, NOW);
        end(failed, "recover", MemberState.FAILED, 3);
        failed.advance(net, NOW);
        assertThat(failed.judgment()).contains(NetJudgment.FAILED);
        assertThat(failed.exitCode()).contains(8);
    }

    @Test
    void rerunFromFailureKeepsWhatSucceededAndRestartsTheFailedMember() {
        NetRun run = accepted();
        run.advance(net, NOW);
        end(run, "extract", MemberState.SUCCEEDED, 0);
        run.advance(net, NOW);
        end(run, "load", MemberState.FAILED, 8);
        run.advance(net, NOW);
        end(run, "recover", MemberState.FAILED, 1);
        run.advance(net, NOW);
        assertThat(run.judgment()).contains(NetJudgment.FAILED);

        run.rerun(net, NOW);

        assertThat(run.generation()).isEqualTo(2);
        assertThat(run.status()).isEqualTo(NetRunStatus.RUNNING);
        assertThat(run.member("extract").state()).isEqualTo(MemberState.SUCCEEDED);
        assertThat(run.member("extract").runId()).isEqualTo("run-extract");
        assertThat(run.advance(net, NOW)).containsExactly("load");
        assertThat(run.memberKey("load")).endsWith("/load/2");
        assertThat(run.member("review").state())
                .as("extract still succeeded: no warning branch")
                .isEqualTo(MemberState.SKIPPED);
        end(run, "load", MemberState.SUCCEEDED, 0);
        assertThat(run.advance(net, NOW)).isEmpty();
        assertThat(run.judgment())
                .as("report waits for review, which did not run: JP1 skips it too")
                .contains(NetJudgment.SUCCEEDED);
        assertThat(run.exitCode()).contains(0);
        assertThatThrownBy(() -> run.rerun(net, NOW)).isInstanceOf(IllegalNetRunTransitionException.class);
    }

    @Test
    void cancelSkipsWhatHasNotStartedAndEndsCancelledOnceTheActiveMembersEnded() {
        NetRun run = accepted();
        run.advance(net, NOW);
        run.memberStarted("extract", "run-extract", NOW);

        List<MemberRun> active = run.cancel("operator", NOW);

        assertThat(active).extracting(MemberRun::name).containsExactly("extract");
        assertThat(run.advance(net, NOW)).isEmpty();
        assertThat(run.status()).isEqualTo(NetRunStatus.CANCELLING);
        run.memberEnded("extract", "run-extract", new MemberEnd(MemberState.CANCELLED, null, "cancelled"), NOW);
        run.advance(net, NOW);
        assertThat(run.judgment()).contains(NetJudgment.CANCELLED);
        assertThat(run.members()).extracting(MemberRun::state).containsOnly(MemberState.CANCELLED, MemberState.SKIPPED);
    }

    @Test
    void anEndOfAnotherRunThanTheMembersIsIgnored() {
        NetRun run = accepted();
        run.advance(net, NOW);
        run.memberStarted("extract", "run-extract", NOW);

        assertThat(run.memberEnded("extract", "stale", new MemberEnd(MemberState.FAILED, 1, "x"), NOW))
                .isFalse();
        assertThat(run.memberStarted("extract", "another", NOW)).isFalse();
        assertThat(run.member("extract").runId()).isEqualTo("run-extract");
    }
}
