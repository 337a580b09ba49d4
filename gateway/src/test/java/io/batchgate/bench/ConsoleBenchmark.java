package io.batchgate.bench;

import io.batchgate.catalog.ExitCodePolicy;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.runner.admission.Admission;
import io.batchgate.runner.admission.AdmissionRequest;
import io.batchgate.runner.admission.Admitted;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import io.batchgate.runner.run.RunSource;
import io.batchgate.runner.run.TaskExit;
import io.batchgate.runner.run.TaskHandle;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The web console at scale: 100,000 runs admitted through admission (a gateway-only replica, so
 * nothing launches them), the latest 2,000 taken through claim, start and end with the domain's own
 * transitions (so they have attempts for the timeline and run pages), the older ones given a mix of
 * final statuses by one UPDATE per status (a fixture for the counts; they have no attempts), and the
 * outbox emptied as a long-launched history's would be. Then
 * each page is fetched by a signed-in client: its size, and its time from request to the last byte
 * on the loopback (median and max of 10 after 3 warm-ups). The bar: no page over 200 KB or
 * 300 ms. {@code -Dbench.console.runs=N} changes the count (quick: 2,000),
 * {@code -Dbench.console.databases=h2,mariadb} the databases.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ConsoleBenchmark {

    private static final String CATALOG = """
            jobs:
              billing:
                description: Exports billing records.
                local: { command: ["true"] }
                params:
                  BUSINESS_DATE: { type: date, required: true }
                  TARGET: { type: enum, values: [full, incremental], default: incremental }
              report:
                description: Builds the daily report.
                local: { command: ["true"] }
                params:
                  REGION: { type: string, default: eu, maxLength: 32 }
              cleanup:
                description: Removes old files.
                local: { command: ["true"] }
                exitCodes: { success: [0], warning: [1] }
            """;
    private static final List<String> JOBS = List.of("billing", "report", "cleanup");
    private static final List<String> CALLERS = List.of("jp1-prod", "cron", "bench");
    private static final int WITH_ATTEMPTS = 2_000;

    @TempDir
    Path dir;

    @Test
    void pagesAt100kRuns() throws Exception {
        boolean quick = BenchReport.quick();
        int n = Integer.getInteger("bench.console.runs", quick ? 2_000 : 100_000);
        BenchReport report = new BenchReport("ConsoleBenchmark", quick);
        report.note(n + " runs; page time = request to last byte on loopback, median and max of 10 after 3"
                + " warm-ups; the bar: every page under 200 KB and 300 ms");
        for (String database :
                System.getProperty("bench.console.databases", "h2,mariadb").split(",")) {
            if (database.equals("mariadb") && !BenchDatabase.mariaDbAvailable()) {
                report.skipped("console_mariadb", "no MariaDB server (bench/run starts one)");
                continue;
            }
            Path data = dir.resolve(database);
            BenchDatabase db = database.equals("h2") ? BenchDatabase.h2File(data) : BenchDatabase.newMariaDb();
            try (BenchApp app = BenchApp.start(
                    data, CATALOG, db, "--batchgate.runner.enabled=false", "--batchgate.queue.resend-after=1d")) {
                measure(app, database, n, report);
            }
        }
        report.write();
    }

    private void measure(BenchApp app, String database, int n, BenchReport report) throws Exception {
        long loadStart = System.nanoTime();
        List<String> ids = admit(app, n);
        report.add("console_" + database + "_admitted_per_s", n / ((System.nanoTime() - loadStart) / 1e9), "runs/s");
        shape(app, ids);
        // a history of 100,000 runs was launched long ago: nothing of it is left in the outbox
        // (without a runner the relay would be sending all of them to the queue while pages are timed)
        JdbcClient.create(app.dataSource()).sql("DELETE FROM bg_outbox").update();
        HttpClient client = signedIn(app.port());
        String base = "http://127.0.0.1:" + app.port();
        String withAttempts = ids.get(ids.size() - 1);
        String middle = ids.get(ids.size() / 2);
        String hourAgo = Instant.now().minusSeconds(3600).toString().substring(0, 16);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("runs", "/ui/runs");
        pages.put("runs_status", "/ui/runs?status=FAILED");
        pages.put("runs_caller", "/ui/runs?caller=cron");
        pages.put("runs_job_status", "/ui/runs?job=billing&status=SUCCEEDED");
        pages.put("runs_from", "/ui/runs?from=" + hourAgo);
        pages.put("runs_text", "/ui/runs?q=" + URLEncoder.encode("2026-01-17", StandardCharsets.UTF_8));
        pages.put("runs_older", "/ui/runs?before=" + middle);
        pages.put("run", "/ui/runs/" + withAttempts);
        pages.put("run_live", "/ui/runs/" + withAttempts + "/live");
        pages.put("jobs", "/ui/jobs");
        pages.put("job", "/ui/jobs/billing");
        pages.put("timeline", "/ui/timeline");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            time(
                    report,
                    database + "_" + page.getKey(),
                    () -> client.send(
                            HttpRequest.newBuilder(URI.create(base + page.getValue()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray()));
        }
        String csrf = csrf(client, base + "/ui/runs");
        StringBuilder bulk = new StringBuilder("action=cancel&_csrf=" + csrf);
        ids.subList(ids.size() - 50, ids.size())
                .forEach(id -> bulk.append("&run=").append(id));
        time(
                report,
                database + "_bulk_confirm_50",
                () -> client.send(
                        HttpRequest.newBuilder(URI.create(base + "/ui/bulk"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    private interface Fetch {
        HttpResponse<byte[]> get() throws Exception;
    }

    private static void time(BenchReport report, String name, Fetch fetch) throws Exception {
        for (int i = 0; i < 3; i++) {
            check(name, fetch.get());
        }
        double[] millis = new double[10];
        int bytes = 0;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = fetch.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
            check(name, response);
            bytes = response.body().length;
        }
        Arrays.sort(millis);
        report.add("console_" + name + "_ms_p50", BenchReport.percentile(millis, 50), "ms");
        report.add("console_" + name + "_ms_max", millis[millis.length - 1], "ms");
        report.add("console_" + name + "_kb", bytes / 1024.0, "KB");
        if (bytes > 200 * 1024 || BenchReport.percentile(millis, 50) > 300) {
            report.note("OVER THE BAR: " + name);
        }
    }

    private static void check(String name, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(name + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** Admits n runs through admission, from 4 threads; their ids, oldest first. */
    private static List<String> admit(BenchApp app, int n) throws Exception {
        Admission admission = app.bean(Admission.class);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    String job = JOBS.get(i % JOBS.size());
                    Map<String, String> params =
                            switch (job) {
                                case "billing" ->
                                    Map.of("BUSINESS_DATE", String.format("2026-%02d-%02d", 1 + i % 12, 1 + i % 28));
                                case "report" -> Map.of("REGION", "region-" + (i % 40));
                                default -> Map.of();
                            };
                    Admitted admitted = admission.accept(AdmissionRequest.of(
                            job,
                            params,
                            new AdmissionRequest.Requester(
                                    CALLERS.get(i % CALLERS.size()), RunSource.api(), "127.0.0.1", "bench")));
                    if (!(admitted instanceof Admitted.Accepted)) {
                        throw new IllegalStateException("not accepted: " + admitted);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return JdbcClient.create(app.dataSource())
                .sql("SELECT id FROM bg_run ORDER BY id")
                .query(String.class)
                .list();
    }

    /**
     * The latest runs through the domain's transitions (attempt, exit code, some failures); the older
     * ones final by one UPDATE per status, for a realistic mix in the counts.
     */
    private static void shape(BenchApp app, List<String> ids) {
        RunLedger ledger = app.bean(RunLedger.class);
        Clock clock = app.bean(Clock.class);
        TransactionTemplate tx = new TransactionTemplate(app.bean(PlatformTransactionManager.class));
        tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        int from = Math.max(0, ids.size() - WITH_ATTEMPTS);
        for (int i = from; i < ids.size(); i++) {
            RunId id = new RunId(ids.get(i));
            int code = i % 17 == 0 ? 2 : i % 11 == 0 ? 1 : 0;
            boolean finish = i < ids.size() - 20; // the newest 20 stay running
            tx.executeWithoutResult(status -> {
                Run run = ledger.get(id);
                run.claim("local", clock.instant());
                run.started(new TaskHandle("local", "pid-" + id.value().substring(0, 8)), clock.instant());
                if (finish) {
                    run.finished(
                            TaskExit.code(code),
                            new ExitCodePolicy(java.util.Set.of(0), java.util.Set.of(1)),
                            clock.instant());
                }
                ledger.update(run);
            });
        }
        JdbcClient jdbc = JdbcClient.create(app.dataSource());
        if (from > 0) {
            String cut = ids.get(from);
            jdbc.sql("UPDATE bg_run SET status = 'SUCCEEDED', exit_code = 0, finished_at = created_at WHERE id < :cut")
                    .param("cut", cut)
                    .update();
            jdbc.sql("UPDATE bg_run SET status = 'FAILED', exit_code = 2 WHERE id < :cut AND id LIKE '%7'")
                    .param("cut", cut)
                    .update();
            jdbc.sql("UPDATE bg_run SET status = 'CANCELLED', exit_code = NULL WHERE id < :cut AND id LIKE '%3'")
                    .param("cut", cut)
                    .update();
        }
    }

    private static HttpClient signedIn(int port) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port;
        String csrf = csrf(client, base + "/ui/sign-in");
        String form = "_csrf=" + csrf + "&next=%2Fui%2Fruns&token="
                + URLEncoder.encode(GatewayTestSupport.TOKEN, StandardCharsets.UTF_8);
        HttpResponse<String> signIn = client.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (signIn.statusCode() != 302) {
            throw new IllegalStateException("sign-in answered " + signIn.statusCode());
        }
        return client;
    }

    private static String csrf(HttpClient client, String url) throws Exception {
        String page = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no CSRF token in " + url);
        }
        return matcher.group(1);
    }
}
