package io.batchgate.runner.net;

import io.batchgate.runner.run.RunSource;
import java.util.Map;

/**
 * The port through which something other than the HTTP API starts a net run — a schedule's fire.
 * The idempotency key (a schedule: its nominal time) makes a repeated start answer the first net
 * run, on any replica.
 */
public class NetTrigger {

    /**
     * Who a net run started by a trigger is requested by, and so its members' runs: the same
     * caller as the schedules' job runs ({@code JobFireTarget.CALLER}).
     */
    public static final String CALLER = "scheduler";

    private final NetRuns netRuns;

    public NetTrigger(NetRuns netRuns) {
        this.netRuns = netRuns;
    }

    public NetStart start(String netName, Map<String, String> params, RunSource source, String idempotencyKey) {
        return netRuns.start(netName, params, new NetRuns.Requester(CALLER, source), idempotencyKey);
    }
}
