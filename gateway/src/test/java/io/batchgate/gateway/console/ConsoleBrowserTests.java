package io.batchgate.gateway.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import io.batchgate.gateway.GatewayIntegrationTests;
import io.batchgate.gateway.GatewayTestSupport;
import io.batchgate.gateway.TestCaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The web console end to end in a real Chromium (Debian's chromium-headless-shell, driven by
 * Playwright for Java; no browser is downloaded): against the whole application on a real port,
 * with the local runtime really running the sample jobs. One browser for the class, a fresh browser
 * context (cookies) per test. Screenshots of each page go to target/screenshots/.
 */
class ConsoleBrowserTests extends GatewayIntegrationTests {

    private static final Duration LONG = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private static Playwright playwright;
    private static Browser browser;

    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void browser() {
        Optional<Path> chromium = chromium();
        if (chromium.isEmpty()) {
            boolean required = "1".equals(System.getenv("BATCHGATE_REQUIRE_BROWSER"));
            if (required) {
                throw new IllegalStateException("no Chromium: apt-get install chromium-headless-shell, or set"
                        + " -Dbatchgate.test.chromium=/path/to/chromium");
            }
            Assumptions.abort("no Chromium installed (apt-get install chromium-headless-shell)");
        }
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium.get())
                        .setHeadless(true)
                        .setArgs(CHROMIUM_ARGS));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    static Optional<Path> chromium() {
        String configured = System.getProperty("batchgate.test.chromium");
        return Stream.of(
                        configured,
                        "/usr/bin/chromium-headless-shell",
                        "/usr/lib/chromium/chromium-headless-shell",
                        "/usr/bin/chromium")
                .filter(path -> path != null && Files.isExecutable(Path.of(path)))
                .map(Path::of)
                .findFirst();
    }

    @BeforeEach
    void page() {
        context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL("http://127.0.0.1:" + port)
                .setAcceptDownloads(true)
                .setViewportSize(1280, 900));
        context.setDefaultTimeout(30_000);
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void signInTriggerHelloWatchItSucceedOpenItsLogAndRunItAgainWithAChangedParameter() throws IOException {
        page.navigate("/ui");
        assertThat(page).hasURL(Pattern.compile(".*/ui/sign-in.*"));
        screenshot("sign-in");
        signIn(GatewayTestSupport.TOKEN);
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs$"));
        assertThat(page.locator("header .who strong")).hasText("ci");
        // the session cookie: not readable by scripts, never sent by other sites
        Cookie cookie = context.cookies().stream()
                .filter(c -> c.name.equals("BATCHGATE_CONSOLE"))
                .findFirst()
                .orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).isEqualTo(SameSiteAttribute.STRICT);

        page.navigate("/ui/jobs");
        assertThat(page.locator("#catalog-version")).not().isEmpty();
        screenshot("jobs");
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("hello").setExact(true))
                .first()
                .click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/jobs/hello$"));
        page.getByLabel(Pattern.compile("GREETING")).fill("Bonjour");
        screenshot("job");
        page.locator("#trigger-button").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs/[0-9a-f-]{36}$"));
        String first = runIdOf(page.url());
        // a mark in the page: it is still there once the run has succeeded, so the page was not reloaded
        page.evaluate("window.__notReloaded = true");
        assertThat(page.locator("#run-status")).hasText(Pattern.compile("SUCCEEDED"), longWait());
        assertThat(page.evaluate("window.__notReloaded === true")).isEqualTo(true);
        assertThat(page.locator("#log pre"))
                .containsText(
                        "Bonjour, world!", new LocatorAssertions.ContainsTextOptions().setTimeout(LONG.toMillis()));
        assertThat(page.locator("#exit-code")).containsText("success");
        assertThat(page.locator("main")).containsText("via ui");
        screenshot("run");
        Download download =
                page.waitForDownload(() -> page.locator("#download-log").click());
        assertThat(Files.readString(download.path())).contains("Bonjour, world!");

        // run it again, with the greeting changed in the form filled in from this run
        page.locator("#rerun-form").click();
        Locator greeting = page.getByLabel(Pattern.compile("GREETING"));
        assertThat(greeting).hasValue("Bonjour");
        greeting.fill("Hola");
        page.locator("#trigger-button").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs/[0-9a-f-]{36}$"));
        String second = runIdOf(page.url());
        assertThat(second).isNotEqualTo(first);
        assertThat(page.locator("#run-status")).hasText(Pattern.compile("SUCCEEDED"), longWait());
        assertThat(page.locator("#log pre"))
                .containsText("Hola, world!", new LocatorAssertions.ContainsTextOptions().setTimeout(LONG.toMillis()));
        JsonNode stored = api.run(second);
        assertThat(stored.path("params").path("GREETING").asString()).isEqualTo("Hola");
        assertThat(stored.path("source").asString()).isEqualTo("ui");
        assertThat(stored.path("requestedBy").asString()).isEqualTo("ci");

        // and once more with the same parameters
        page.locator("#rerun").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs/[0-9a-f-]{36}$"));
        String third = runIdOf(page.url());
        assertThat(third).isNotEqualTo(second);
        assertThat(api.run(third).path("params").path("GREETING").asString()).isEqualTo("Hola");

        // the audit trail has the console's trigger, with the caller and the source
        JsonNode audit = api.json(api.get("/api/v1/audit?runId=" + second));
        assertThat(audit.toString()).contains("\"caller\":\"ci\"").contains("\"runSource\":\"ui\"");
    }

    @Test
    void aParameterIsCheckedInTheBrowserAndAgainOnTheServer() {
        signIn(GatewayTestSupport.TOKEN);
        page.navigate("/ui/jobs/hello");
        page.getByLabel(Pattern.compile("GREETING")).fill("Hello 42");
        page.locator("#trigger-button").click();
        // refused in the browser: the pattern allows no digits; nothing was sent
        assertThat(page).hasURL(Pattern.compile(".*/ui/jobs/hello$"));
        assertThat(page.evaluate("document.getElementById('param-GREETING').validationMessage"))
                .asString()
                .contains("pattern");
        // without the browser's check, the server refuses it as the API does, and says why next to the field
        page.evaluate("{ const input = document.getElementById('param-GREETING');"
                + " input.removeAttribute('data-pattern'); input.setCustomValidity(''); }");
        page.getByLabel(Pattern.compile("GREETING")).fill("Hello 42");
        page.locator("#trigger-button").click();
        assertThat(page.locator("#refusal")).containsText("Invalid parameters");
        assertThat(page.locator("#param-GREETING-error")).not().isEmpty();
    }

    @Test
    void cancelASleepRun() {
        signIn(GatewayTestSupport.TOKEN);
        page.navigate("/ui/jobs/sleep");
        page.getByLabel(Pattern.compile("SECONDS")).fill("300");
        page.locator("#trigger-button").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs/[0-9a-f-]{36}$"));
        String run = runIdOf(page.url());
        assertThat(page.locator("#log pre"))
                .containsText("sleep: start", new LocatorAssertions.ContainsTextOptions().setTimeout(LONG.toMillis()));
        page.locator("#cancel").click();
        assertThat(page.locator("#run-status")).hasText(Pattern.compile("CANCELLED"), longWait());
        assertThat(page.locator("#cancel")).hasCount(0);
        assertThat(api.run(run).path("status").asString()).isEqualTo("CANCELLED");
        JsonNode audit = api.json(api.get("/api/v1/audit?runId=" + run));
        assertThat(audit.toString()).contains("\"action\":\"CANCEL\"").contains("\"caller\":\"ci\"");
    }

    @Test
    void filterByStatusThroughTheUrlAndRunTheSelectionAgainInBulk() {
        String a = api.trigger("hello", Map.of("GREETING", "Salut"));
        String b = api.trigger("hello", Map.of("GREETING", "Ciao"));
        api.awaitFinal(a);
        api.awaitFinal(b);
        signIn(GatewayTestSupport.TOKEN);
        page.navigate("/ui/runs?job=hello&status=SUCCEEDED");
        Locator rows = page.locator("table.runs tbody tr");
        assertThat(rows.first()).isVisible();
        assertThat(page.locator("select[name=status]")).hasValue("SUCCEEDED");
        List<String> statuses = rows.evaluateAll("rows => rows.map(r => r.dataset.status)") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
        assertThat(statuses).isNotEmpty().containsOnly("SUCCEEDED");
        assertThat(page.locator(".counts a[aria-current=true]")).containsText("SUCCEEDED");
        screenshot("runs");

        page.locator("input[name=run][value='" + a + "']").check();
        page.locator("input[name=run][value='" + b + "']").check();
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Run selected again…"))
                .click();
        assertThat(page.locator("h1")).hasText("Run again 2 runs?");
        assertThat(page.locator("main")).containsText(a);
        assertThat(page.locator("main")).containsText(b);
        screenshot("bulk");
        page.locator("#confirm").click();
        assertThat(page.locator("tbody tr")).hasCount(2);
        assertThat(page.locator("main")).not().containsText("not done");

        page.navigate("/ui/timeline?hours=1");
        assertThat(page.locator("svg rect.bar").first()).isAttached();
        screenshot("timeline");
    }

    @Test
    void aReaderSeesNoActionsAndIsRefusedWhenItPostsOneAnyway() {
        String run = api.trigger("sleep", Map.of("SECONDS", "120"));
        try {
            signIn(TestCaller.READER.token());
            page.navigate("/ui/runs/" + run);
            assertThat(page.locator("#run-status")).isVisible();
            assertThat(page.locator("#cancel")).hasCount(0);
            assertThat(page.locator("#rerun")).hasCount(0);
            assertThat(page.locator("#rerun-form")).hasCount(0);
            page.navigate("/ui/runs");
            assertThat(page.locator(".bulk button")).hasCount(0);
            page.navigate("/ui/jobs/hello");
            assertThat(page.locator("#trigger-button")).hasCount(0);
            // the same post a cancel button would send, with the session's CSRF token: refused by scope
            Object status = page.evaluate(
                    "async (id) => { const body = new URLSearchParams();"
                            + " body.set('_csrf', document.querySelector('input[name=_csrf]').value);"
                            + " const r = await fetch('/ui/runs/' + id + '/cancel', {method: 'POST', body});"
                            + " return r.status; }",
                    run);
            assertThat(status).isEqualTo(403);
            assertThat(api.run(run).path("status").asString()).isNotEqualTo("CANCELLED");
            JsonNode audit = api.json(api.get("/api/v1/audit?runId=" + run));
            assertThat(audit.toString()).contains("\"caller\":\"reader\"").contains("\"httpStatus\":403");
        } finally {
            api.post("/api/v1/runs/" + run + "/cancel", "application/json", "{}");
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndSignOutEndsTheSession() {
        String run = api.trigger("sleep", Map.of("SECONDS", "120"));
        try {
            signIn(GatewayTestSupport.TOKEN);
            page.navigate("/ui/runs/" + run);
            assertThat(page.locator("#cancel")).isVisible();
            Object status = page.evaluate(
                    "async (id) => (await fetch('/ui/runs/' + id + '/cancel', {method: 'POST'})).status", run);
            assertThat(status).isEqualTo(403);
            Object wrong = page.evaluate(
                    "async (id) => (await fetch('/ui/runs/' + id + '/cancel', {method: 'POST',"
                            + " body: new URLSearchParams({_csrf: 'not-the-token'})})).status",
                    run);
            assertThat(wrong).isEqualTo(403);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !api.run(run).path("status").asString().equals("CANCELLED"));
            page.locator("header .who button").click();
            assertThat(page).hasURL(Pattern.compile(".*/ui/sign-in$"));
            page.navigate("/ui/runs");
            assertThat(page).hasURL(Pattern.compile(".*/ui/sign-in.*"));
        } finally {
            api.post("/api/v1/runs/" + run + "/cancel", "application/json", "{}");
        }
    }

    @Test
    void pauseAndResumeAScheduleThenFollowANetRunToAMemberRunAndBack() {
        try {
            signIn(GatewayTestSupport.TOKEN);
            page.getByRole(
                            com.microsoft.playwright.options.AriaRole.LINK,
                            new Page.GetByRoleOptions().setName("Schedules").setExact(true))
                    .click();
            assertThat(page).hasURL(Pattern.compile(".*/ui/schedules$"));
            Locator billing = page.locator("#schedule-nightly-billing");
            assertThat(billing.locator(".schedule-state")).containsText("active");
            assertThat(billing.locator(".next-fires li")).hasCount(3);
            screenshot("schedules");
            billing.getByRole(
                            com.microsoft.playwright.options.AriaRole.BUTTON,
                            new Locator.GetByRoleOptions().setName("Pause nightly-billing"))
                    .click();
            assertThat(billing.locator(".schedule-state")).containsText("paused by ci");
            assertThat(billing.locator(".next-fires")).containsText("none while paused");
            assertThat(api.json(api.get("/api/v1/schedules/nightly-billing"))
                            .get("paused")
                            .asBoolean())
                    .isTrue();
            billing.getByRole(
                            com.microsoft.playwright.options.AriaRole.BUTTON,
                            new Locator.GetByRoleOptions().setName("Resume nightly-billing"))
                    .click();
            assertThat(billing.locator(".schedule-state")).containsText("active");
            assertThat(billing.locator(".next-fires li")).hasCount(3);
            assertThat(api.json(api.get("/api/v1/schedules/nightly-billing"))
                            .get("paused")
                            .asBoolean())
                    .isFalse();
        } finally {
            api.post("/api/v1/schedules/nightly-billing/resume", null, "");
        }

        String netRun = api.json(
                        api.post("/api/v1/nets/test-five/runs", "application/json", "{\"params\":{\"LOAD\":\"5\"}}"))
                .get("id")
                .asString();
        page.getByRole(
                        com.microsoft.playwright.options.AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Nets").setExact(true))
                .click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/nets$"));
        page.locator("tr[data-net-run='" + netRun + "'] a").first().click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/net-runs/" + netRun + "$"));
        // the page follows the net run while it runs: a failure the recovery member handles is a warning
        assertThat(page.locator("#net-run-status")).hasText(Pattern.compile("WARNING"), longWait());
        assertThat(page.locator("#net-exit-code")).hasText("5");
        assertThat(page.locator("tr[data-member=recover]")).containsText("SUCCEEDED");
        assertThat(page.locator("#cancel-net")).hasCount(0);
        screenshot("net-run");
        page.locator("tr[data-member=load] a.member-run").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs/[0-9a-f-]{36}$"));
        assertThat(page.locator("#run-status")).hasText(Pattern.compile("FAILED"), longWait());
        assertThat(page.locator("main")).containsText("net:" + netRun + "/load");
        page.locator("#net-run-link").click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/net-runs/" + netRun + "$"));
    }

    private void signIn(String token) {
        page.navigate("/ui/sign-in");
        page.getByLabel("Token").fill(token);
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page).hasURL(Pattern.compile(".*/ui/runs.*"));
    }

    private static LocatorAssertions.HasTextOptions longWait() {
        return new LocatorAssertions.HasTextOptions().setTimeout(LONG.toMillis());
    }

    private static String runIdOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }
}
