package io.batchgate.bench;

import io.batchgate.runner.run.RunId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The floor under a trigger: what accepting one must do at the least, with nothing else. The rows
 * batchgate stores for an accepted run (the run, its first timeline entry, its outbox row) inserted
 * with plain JDBC prepared statements on a connection of its own and committed, then the same
 * SendMessage ("launch run R") to the same queue. No HTTP, no JSON parsing, no catalog check, no
 * framework. One instance per worker thread.
 */
final class FloorTrigger implements ClosedLoop.Worker {

    private final Connection connection;
    private final PreparedStatement run;
    private final PreparedStatement event;
    private final PreparedStatement outbox;
    private final @Nullable SqsAsyncClient sqs;
    private final String queueUrl;
    private final SplittableRandom random = new SplittableRandom();

    /** With {@code sqs} null, only the database part: a stricter bound than the issue's floor. */
    FloorTrigger(BenchDatabase database, @Nullable SqsAsyncClient sqs, String queueUrl) throws Exception {
        this.connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        this.connection.setAutoCommit(false);
        this.run = connection.prepareStatement("INSERT INTO bg_run (id, job, catalog_version, status, exit_code,"
                + " warning, reason, params_json, secret_params, requested_by, idempotency_key, created_at,"
                + " started_at, finished_at, next_attempt_at, deadline_at, version)"
                + " VALUES (?, 'noop', 'floor', 'QUEUED', NULL, FALSE, '', '{}', '', 'bench', NULL, ?,"
                + " NULL, NULL, NULL, NULL, 0)");
        this.event = connection.prepareStatement("INSERT INTO bg_run_event (run_id, seq, at, from_status, to_status,"
                + " reason) VALUES (?, 1, ?, NULL, 'QUEUED', 'accepted from bench')");
        this.outbox = connection.prepareStatement(
                "INSERT INTO bg_outbox (run_id, created_at, available_at, send_count) VALUES (?, ?, ?, 0)");
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void run() throws Exception {
        long now = System.currentTimeMillis();
        String id = RunId.next(now, random).value();
        Timestamp at = Timestamp.valueOf(
                LocalDateTime.ofEpochSecond(now / 1000, (int) (now % 1000) * 1_000_000, ZoneOffset.UTC));
        run.setString(1, id);
        run.setTimestamp(2, at);
        run.executeUpdate();
        event.setString(1, id);
        event.setTimestamp(2, at);
        event.executeUpdate();
        outbox.setString(1, id);
        outbox.setTimestamp(2, at);
        outbox.setTimestamp(3, at);
        outbox.executeUpdate();
        connection.commit();
        if (sqs == null) {
            return;
        }
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody("{\"runId\":\"" + id + "\"}"))
                .join();
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
