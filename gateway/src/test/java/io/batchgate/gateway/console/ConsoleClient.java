package io.batchgate.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console over plain HTTP, as a browser without scripts uses it: a cookie jar, the sign-in
 * form, forms posted with the session's CSRF token read from the page; redirects not followed,
 * so a test sees them.
 */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient http;
    private String csrf = "";

    private ConsoleClient(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A client signed in with the token (the sign-in form, then the session's token from a page). */
    static ConsoleClient signedIn(int port, String token) {
        ConsoleClient client = new ConsoleClient(port);
        client.csrfFrom(client.get("/ui/sign-in"));
        HttpResponse<String> signIn = client.postForm("/ui/sign-in", Map.of("token", token));
        assertThat(signIn.statusCode()).as(signIn.body()).isIn(302, 303);
        client.csrfFrom(client.get("/ui/runs"));
        return client;
    }

    /** A client that never signed in. */
    static ConsoleClient anonymous(int port) {
        return new ConsoleClient(port);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Posts the form with the session's CSRF token. */
    HttpResponse<String> postForm(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", csrf);
        return postRaw(path, withToken);
    }

    /** Posts the form with the session's CSRF token; a name may repeat (the runs of a bulk action). */
    HttpResponse<String> postForm(String path, List<Map.Entry<String, String>> fields) {
        List<Map.Entry<String, String>> withToken = new ArrayList<>(fields);
        withToken.add(Map.entry("_csrf", csrf));
        return post(path, withToken);
    }

    /** Posts the form as given: no CSRF token unless it holds one. */
    HttpResponse<String> postRaw(String path, Map<String, String> fields) {
        return post(path, List.copyOf(fields.entrySet()));
    }

    private HttpResponse<String> post(String path, List<Map.Entry<String, String>> fields) {
        String body = fields.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private void csrfFrom(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher token = CSRF.matcher(page.body());
        assertThat(token.find()).as("a CSRF token in the page").isTrue();
        csrf = token.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
