package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One member of a job net: a job, or a nested net, with the parameters it is started with and the
 * edges it waits for. A member with several edges is a join: it starts once all of them hold.
 *
 * @param kind whether {@code target} names a job or a net
 * @param params values as written; {@code ${NAME}} stands for the net run's parameter NAME
 * @param after the edges this member waits for; none for a start member
 * @param line the 1-based line of the member's name in the net's file
 */
public record NetMember(
        String name, Kind kind, String target, Map<String, String> params, List<NetEdge> after, int line) {

    /** {@code ${NAME}}: a net parameter in a member's parameter value. */
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");

    public enum Kind {
        JOB,
        NET
    }

    public NetMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        after = List.copyOf(after);
    }

    /** The member's parameters with every {@code ${NAME}} replaced by the net run's value (empty if unset). */
    public Map<String, String> resolve(Map<String, String> netParams) {
        Map<String, String> resolved = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            Matcher m = REFERENCE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(netParams.getOrDefault(m.group(1), "")));
            }
            m.appendTail(out);
            resolved.put(name, out.toString());
        });
        return resolved;
    }

    /** Whether this member starts with the net run (it waits for no edge). */
    public boolean isStart() {
        return after.isEmpty();
    }
}
