package io.batchgate.runner.run;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a run came to be, recorded beside {@code requestedBy} (who): {@code api} for an HTTP
 * trigger, {@code jobctl} when scripts/jobctl sent it, {@code ui} for the web console, {@code
 * schedule:<name>@<nominal time>} for a schedule's fire, {@code net:<net run id>/<member>} for a
 * job net's edge. Stored and shown as its {@link #value() text}.
 */
public record RunSource(String value) {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";
    private static final Pattern SCHEDULE = Pattern.compile("schedule:(" + NAME + ")@(\\S+)");
    private static final Pattern NET = Pattern.compile("net:([A-Za-z0-9-]{1,36})/(" + NAME + ")");

    public RunSource {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a run source: '" + value + "' (api, jobctl, ui,"
                    + " schedule:<name>@<ISO instant>, net:<net run id>/<member>)");
        }
    }

    private static final RunSource API = new RunSource("api");
    private static final RunSource JOBCTL = new RunSource("jobctl");
    private static final RunSource UI = new RunSource("ui");

    /** An HTTP trigger from any client. */
    public static RunSource api() {
        return API;
    }

    /** An HTTP trigger sent by scripts/jobctl (JP1, cron). */
    public static RunSource jobctl() {
        return JOBCTL;
    }

    /** The web console ("run again", bulk). */
    public static RunSource ui() {
        return UI;
    }

    /** A schedule's fire for its nominal time (not the moment it happened to fire). */
    public static RunSource schedule(String name, Instant nominal) {
        return new RunSource("schedule:" + name + "@" + nominal);
    }

    /** A member of a job net run, started by an edge of the net. */
    public static RunSource net(String netRunId, String member) {
        return new RunSource("net:" + netRunId + "/" + member);
    }

    private static boolean isValid(String value) {
        if (value.equals("api") || value.equals("jobctl") || value.equals("ui")) {
            return true;
        }
        Matcher schedule = SCHEDULE.matcher(value);
        if (schedule.matches()) {
            try {
                Instant.parse(schedule.group(2));
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return NET.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
