package io.batchgate.gateway.auth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller may do, parsed from scope strings: {@code trigger:<glob>}, {@code read:<glob>},
 * {@code cancel:<glob>} over job names ({@code *} matches any characters), {@code metrics} for
 * {@code /actuator/prometheus}, and {@code admin} for everything including the audit trail. Acting
 * on a job implies reading its runs: a scheduler that may trigger a job may wait for it.
 */
public final class Scopes {

    private static final Pattern GLOB = Pattern.compile("[a-z0-9*][a-z0-9*-]{0,62}");

    private final boolean admin;
    private final boolean metrics;
    private final Map<Action, List<String>> globs;

    private Scopes(boolean admin, boolean metrics, Map<Action, List<String>> globs) {
        this.admin = admin;
        this.metrics = metrics;
        this.globs = globs;
    }

    /** Parses scope strings; the exception's message names the first bad one. */
    public static Scopes parse(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("no scopes: give at least one of admin, metrics, trigger:<job glob>,"
                    + " read:<job glob>, cancel:<job glob>");
        }
        boolean admin = false;
        boolean metrics = false;
        Map<Action, List<String>> globs = new EnumMap<>(Action.class);
        for (Action action : Action.values()) {
            globs.put(action, new ArrayList<>());
        }
        for (String raw : scopes) {
            String scope = raw == null ? "" : raw.strip();
            if (scope.equals("admin")) {
                admin = true;
                continue;
            }
            if (scope.equals("metrics")) {
                metrics = true;
                continue;
            }
            int colon = scope.indexOf(':');
            Action action = colon < 0 ? null : action(scope.substring(0, colon));
            String glob = colon < 0 ? "" : scope.substring(colon + 1);
            if (action == null || !GLOB.matcher(glob).matches()) {
                throw new IllegalArgumentException("'" + scope + "' is not a scope; use admin, metrics, or"
                        + " trigger:/read:/cancel: followed by a job name glob such as nightly-*");
            }
            globs.get(action).add(glob);
        }
        return new Scopes(admin, metrics, globs);
    }

    private static Action action(String word) {
        for (Action action : Action.values()) {
            if (action.word().equals(word)) {
                return action;
            }
        }
        return null;
    }

    public boolean admin() {
        return admin;
    }

    public boolean metrics() {
        return admin || metrics;
    }

    public boolean allows(Action action, String job) {
        if (admin) {
            return true;
        }
        for (String glob : relevant(action)) {
            if (matches(glob, job)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this caller may do this to some job (the console shows an action's buttons by it). */
    public boolean grantsAny(Action action) {
        return admin || !relevant(action).isEmpty();
    }

    /** The job globs whose runs this caller may read; empty when it may read every job's runs. */
    public Optional<List<String>> readableGlobs() {
        if (admin) {
            return Optional.empty();
        }
        List<String> readable = List.copyOf(relevant(Action.READ));
        return readable.contains("*") ? Optional.empty() : Optional.of(readable);
    }

    private Set<String> relevant(Action action) {
        Set<String> relevant = new LinkedHashSet<>(globs.get(action));
        if (action == Action.READ) {
            relevant.addAll(globs.get(Action.TRIGGER));
            relevant.addAll(globs.get(Action.CANCEL));
        }
        return relevant;
    }

    static boolean matches(String glob, String job) {
        return matches(glob, 0, job, 0);
    }

    private static boolean matches(String glob, int g, String job, int j) {
        if (g == glob.length()) {
            return j == job.length();
        }
        if (glob.charAt(g) == '*') {
            for (int k = j; k <= job.length(); k++) {
                if (matches(glob, g + 1, job, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < job.length() && glob.charAt(g) == job.charAt(j) && matches(glob, g + 1, job, j + 1);
    }

    @Override
    public String toString() {
        List<String> words = new ArrayList<>();
        if (admin) {
            words.add("admin");
        }
        if (metrics) {
            words.add("metrics");
        }
        globs.forEach((action, list) -> list.forEach(glob -> words.add(action.word() + ":" + glob)));
        return String.join(" ", words);
    }
}
