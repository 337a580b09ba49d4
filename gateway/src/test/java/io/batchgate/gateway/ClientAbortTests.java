package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A caller that goes away mid-answer is nobody's error: logged at DEBUG, without a stack trace. */
class ClientAbortTests extends GatewayIntegrationTests {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger handler = (Logger) LoggerFactory.getLogger("io.batchgate.gateway.problem.ApiExceptionHandler");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level handlerLevel;

    @BeforeEach
    void captureLog() {
        handlerLevel = handler.getLevel();
        handler.setLevel(Level.DEBUG);
        logged.list = new java.util.concurrent.CopyOnWriteArrayList<>(); // appended to by other threads
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(logged);
        handler.setLevel(handlerLevel);
    }

    /**
     * A caller that resets the connection while a long answer (here a page of the audit trail)
     * is being written: the write fails in the middle of the JSON.
     */
    @Test
    void aClientThatHangsUpDuringItsAnswerIsNotAnError() throws Exception {
        for (int i = 0; i < 1000; i++) { // refusals are audited too: a long audit page, cheaply
            api.post("/api/v1/jobs/no-such-job-" + "x".repeat(100) + "/runs", "application/json", "{}");
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    hangUpDuring("/api/v1/audit?limit=500");
                    return logged.list.stream()
                            .anyMatch(event -> event.getFormattedMessage().startsWith("client gone"));
                });
        assertThat(logged.list)
                .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .filteredOn(event -> GatewayTestSupport.onTheRequestPath(event.getLoggerName()))
                .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
                .noneMatch(line -> line.contains("already committed") || line.contains("reset by peer"));
        assertThat(logged.list)
                .filteredOn(event -> event.getLevel() == Level.ERROR)
                .filteredOn(event -> GatewayTestSupport.onTheRequestPath(event.getLoggerName()))
                .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
                .isEmpty();
        assertThat(logged.list)
                .filteredOn(event -> event.getFormattedMessage().startsWith("client gone"))
                .allSatisfy(event -> {
                    assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
                    assertThat(event.getThrowableProxy()).isNull();
                });
    }

    /** Asks for a long answer with a tiny receive window, reads its start and resets the connection. */
    private void hangUpDuring(String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + GatewayTestSupport.TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.getInputStream().readNBytes(256);
            socket.setSoLinger(true, 0); // close with a reset: the server's next write fails
        }
    }
}
