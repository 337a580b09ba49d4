package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code scripts/jobctl}, run under dash against the running application: what JP1 and cron see.
 * Its own exit codes are 200 + n by default (see the README's table).
 */
class JobctlTests extends GatewayIntegrationTests {

    @TempDir
    Path work;

    @Autowired
    JdbcClient jdbc;

    private Jobctl jobctl;

    @BeforeEach
    void jobctl() {
        jobctl = new Jobctl(work, port, TestCaller.JOBCTL.token());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 42, 255})
    void theJobsExitCodeIsJobctlsExitCode(int code) {
        Jobctl.Result result = jobctl.run("run", "exit-with", "CODE=" + code, "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(code);
        assertThat(result.runId()).matches("[0-9a-f-]{36}");
        assertThat(api.run(result.runId()).get("exitCode").asInt()).isEqualTo(code);
    }

    @AfterEach
    void killJobctlsLeftRunning() {
        Jobctl.killAllStarted();
    }

    @Test
    void aFailingJobsLogTailAndStopReasonGoToStderr() {
        Jobctl.Result result = jobctl.with("BATCHGATE_TAIL_LINES", "5").run("run", "noisy", "CODE=7", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.stdout().strip()).isEqualTo(result.runId());
        assertThat(result.stderr())
                .contains("noisy: line 30")
                .contains("noisy: ERROR disk full")
                .doesNotContain("noisy: line 20")
                .contains("run " + result.runId() + " ended FAILED with exit code 7");
    }

    @Test
    void followStreamsTheLogToStdoutAndStillExitsWithTheJobsCode() {
        Jobctl.Result result = jobctl.run("run", "noisy", "CODE=4", "--follow");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
        assertThat(result.stdout().lines().findFirst()).hasValue(result.runId());
        assertThat(result.stdout()).contains("noisy: line 1\n").contains("noisy: line 30\n");
    }

    @Test
    void followingKeepsTheRunsLeaseAlive() {
        // the stream alone renews nothing; jobctl polls beside it, so a lease shorter than the job holds
        Jobctl.Result result = jobctl.run("run", "nap", "MILLIS=7000", "--follow", "--abandon-after", "3");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("napping").contains("awake");
    }

    @Test
    void aJp1JobMayRunOtherJobsOrOtherParametersUnderOneExecution() {
        Jobctl jp1 = jobctl.with("AJSEXECID", "@A30000").with("AJSJOBNAME", "/daily/two-steps");
        Jobctl.Result first = jp1.run("run", "exit-with", "CODE=0", "--wait");
        Jobctl.Result second = jp1.run("run", "exit-with", "CODE=1", "--wait");
        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
        assertThat(second.runId()).isNotEqualTo(first.runId());
    }

    @Test
    void hostileSettingsAreRefusedNotLoopedOn() {
        Jobctl.Result result = jobctl.with("BATCHGATE_RETRY_FOR", "10m").run("run", "hello", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(200);
        assertThat(result.stderr()).contains("BATCHGATE_RETRY_FOR must be a whole number");
    }

    @Test
    void aWarningCodeIsPassedOnAndNamed() {
        Jobctl.Result result = jobctl.run("run", "exit-with", "CODE=1", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("succeeded with warning exit code 1");
    }

    @Test
    void withoutWaitItPrintsTheRunIdAndExitsAtOnce() {
        String text = "Grüß Gott & \"quotes\" 'single' $HOME `date` \\ \\n %41 =x";
        Jobctl.Result result = jobctl.run("run", "echo-text", "TEXT=" + text);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode run = api.awaitFinal(result.runId());
        assertThat(run.get("params").get("TEXT").asString()).isEqualTo(text);
        assertThat(api.logs(result.runId())).contains(text);
    }

    @Test
    void sigtermDuringWaitCancelsTheRunAndStopsItsProcess() throws Exception {
        Jobctl.Started started = jobctl.start("run", "nap", "MILLIS=60000", "--wait");
        String runId = await().atMost(Duration.ofSeconds(20)).until(started::firstLine, line -> line != null);
        JsonNode running = await().atMost(Duration.ofSeconds(20))
                .until(() -> api.run(runId), run -> run.get("status").asString().equals("RUNNING"));
        long pid = pid(running.get("attempts").get(0).get("taskHandle").asString());
        assertThat(ProcessHandle.of(pid)).isPresent();

        started.process().destroy(); // SIGTERM, as JP1 sends when an operator kills the job
        Jobctl.Result result = started.result();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(143);
        assertThat(result.stderr()).contains("received SIGTERM: cancelling run " + runId);
        assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive)
                .orElse(false)
                .equals(false));
    }

    @Test
    void detachedWaitersLeaveTheRunAlone() throws Exception {
        Jobctl.Started started = jobctl.start("run", "nap", "MILLIS=1500", "--wait", "--detach");
        String runId = await().atMost(Duration.ofSeconds(20)).until(started::firstLine, line -> line != null);
        started.process().destroy();
        assertThat(started.result().exitCode()).isEqualTo(143);
        assertThat(api.awaitFinal(runId).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anUnreachableGatewayHasItsOwnCode() {
        Jobctl.Result result = new Jobctl(work, 1, TestCaller.JOBCTL.token())
                .with("BATCHGATE_RETRY_FOR", "2")
                .run("run", "hello", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(201);
        assertThat(result.stderr()).contains("unreachable");
    }

    @Test
    void aForbiddenJobHasItsOwnCode() {
        Jobctl.Result result = new Jobctl(work, port, TestCaller.HELLO.token()).run("run", "exit-with", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(203);
        assertThat(result.stderr()).contains("HTTP 403").contains("may not trigger job 'exit-with'");
    }

    @Test
    void aRefusedTriggerHasItsOwnCode() {
        Jobctl.Result result = jobctl.run("run", "exit-with", "CODE=256", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(202);
        assertThat(result.stderr()).contains("HTTP 400").contains("CODE");
    }

    @Test
    void ownCodesMoveWithTheConfiguredBase() {
        Jobctl.Result result = jobctl.with("BATCHGATE_JOBCTL_EXIT_BASE", "160").run("run", "no-such-job", "--wait");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(162);
    }

    @Test
    void aCancelledRunHasItsOwnCode() {
        Jobctl.Started started = jobctl.start("run", "nap", "MILLIS=60000", "--wait");
        String runId = await().atMost(Duration.ofSeconds(20)).until(started::firstLine, line -> line != null);
        Jobctl.Result cancel = jobctl.run("cancel", runId, "--reason", "operator says no");
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        Jobctl.Result result = started.result();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(204);
        assertThat(result.stderr()).contains("ended CANCELLED").contains("operator says no");
    }

    @Test
    void aJp1ExecutionStartsOneRunHoweverOftenItIsSentAndANewOneWhenReRunAfterAFailure() {
        Jobctl jp1 = jobctl.with("AJSEXECID", "@A12345").with("AJSJOBNAME", "/日次/請求/集計 ジョブ");
        Jobctl.Result first = jp1.run("run", "exit-with", "CODE=0", "--wait");
        Jobctl.Result again = jp1.run("run", "exit-with", "CODE=0", "--wait");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.runId()).isEqualTo(first.runId());

        Jobctl failing = new Jobctl(work, port, TestCaller.JOBCTL.token())
                .with("AJSEXECID", "@A12346")
                .with("AJSJOBNAME", "/daily/billing");
        Jobctl.Result failed = failing.run("run", "exit-with", "CODE=5", "--wait");
        Jobctl.Result rerun = failing.run("run", "exit-with", "CODE=5", "--wait");
        assertThat(failed.exitCode()).isEqualTo(5);
        assertThat(rerun.exitCode()).isEqualTo(5);
        assertThat(rerun.runId()).isNotEqualTo(failed.runId());
        assertThat(api.run(rerun.runId()).get("timeline").toString()).contains("re-run of run " + failed.runId());
    }

    @Test
    void twoIdenticalJp1CallsAtOnceStartOneRun() {
        Jobctl jp1 = jobctl.with("AJSEXECID", "@A20000").with("AJSJOBNAME", "/daily/twice");
        Jobctl.Started one = jp1.start("run", "nap", "MILLIS=500", "--wait");
        Jobctl.Started two = jp1.start("run", "nap", "MILLIS=500", "--wait");
        Jobctl.Result first = one.result();
        Jobctl.Result second = two.result();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.runId()).isEqualTo(first.runId());
    }

    @Test
    void statusLogsAndJobsCommands() {
        String runId = jobctl.run("run", "hello", "GREETING=Salut", "--wait").runId();
        Jobctl.Result status = jobctl.run("status", runId);
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).contains("status=SUCCEEDED").contains("exitCode=0");
        Jobctl.Result logs = jobctl.run("logs", runId);
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.stdout()).contains("Salut");
        Jobctl.Result jobs = jobctl.run("jobs");
        assertThat(jobs.exitCode()).isZero();
        assertThat(jobs.stdout().lines()).anyMatch(line -> line.startsWith("hello\tlocal\t"));
        Jobctl.Result usage = jobctl.run("frobnicate");
        assertThat(usage.exitCode()).isEqualTo(200);
    }

    @Test
    void theTokenNeverAppearsOnACommandLine() throws Exception {
        Jobctl.Started started = jobctl.start("run", "nap", "MILLIS=3000", "--wait");
        String commandLines = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> started.process()
                                .descendants()
                                .map(child -> child.info().commandLine().orElse(""))
                                .reduce("", (a, b) -> a + "\n" + b),
                        lines -> lines.contains("curl"));
        assertThat(commandLines).doesNotContain(TestCaller.JOBCTL.token());
        assertThat(started.result().exitCode()).isZero();
    }

    private static long pid(String taskHandle) {
        // local:<pid>@<start time>
        return Long.parseLong(taskHandle.substring("local:".length(), taskHandle.indexOf('@')));
    }
}
