package io.batchgate.runner.monitor.healthchecks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in Healthchecks server over real HTTP: records every request (method, path, query,
 * headers, body) and answers as the test says — a status, extra headers, a delay.
 */
public final class RecordingHealthchecks implements AutoCloseable {

    /** One request as the server saw it. */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

        public String pathAndQuery() {
            return query == null ? path : path + "?" + query;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** How the server answers. */
    public record Answer(int status, Map<String, String> headers, Duration delay, String body) {

        public static Answer ok() {
            return new Answer(200, Map.of(), Duration.ZERO, "OK");
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO, status == 404 ? "OK (not found)" : "error");
        }

        public Answer withHeader(String name, String value) {
            return new Answer(status, Map.of(name, value), delay, body);
        }

        public Answer after(Duration wait) {
            return new Answer(status, headers, wait, body);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.ok());

    public RecordingHealthchecks() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "recording-healthchecks");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()),
                body));
        Answer now = answer.get();
        if (!now.delay().isZero()) {
            try {
                Thread.sleep(now.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        now.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] response = now.body().getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(now.status(), response.length);
            exchange.getResponseBody().write(response);
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
        exchange.close();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void answer(Answer next) {
        answer.set(next);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<String> pathsAndQueries() {
        return received.stream().map(Received::pathAndQuery).toList();
    }

    public void reset() {
        received.clear();
        answer.set(Answer.ok());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
