package io.batchgate.runner.net;

import io.batchgate.runner.run.RunEvent;
import io.batchgate.runner.run.RunEventListener;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a net run on as soon as one of its members' runs ends: the run's source ({@code
 * net:<net run id>/<member>}) names the net run, so other runs cost nothing. The work runs on a
 * thread of its own after the run's transaction committed (admitting the next member opens new
 * transactions). What is lost here — a crash, a full queue — the periodic sweep picks up.
 */
public final class NetRunEvents implements RunEventListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetRunEvents.class);
    private static final Pattern NET_SOURCE = Pattern.compile("net:([0-9a-f-]{36})/.*");

    private final Supplier<NetRuns> netRuns;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "net-progression");
        thread.setDaemon(true);
        return thread;
    });

    /** @param netRuns looked up on first use: net runs admit runs, whose ledger tells this listener */
    public NetRunEvents(Supplier<NetRuns> netRuns) {
        this.netRuns = netRuns;
    }

    @Override
    public void on(RunEvent event) {
        if (!(event instanceof RunEvent.RunFinished finished)) {
            return;
        }
        Matcher source = NET_SOURCE.matcher(finished.source().value());
        if (!source.matches()) {
            return;
        }
        NetRunId id = new NetRunId(source.group(1));
        try {
            executor.execute(() -> {
                try {
                    netRuns.get().advance(id);
                } catch (RuntimeException e) {
                    log.warn(
                            "net run {}: not moved on after run {} ended ({}); the sweep will",
                            id,
                            event.runId(),
                            e.toString());
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            // the sweep of a running replica picks it up
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
