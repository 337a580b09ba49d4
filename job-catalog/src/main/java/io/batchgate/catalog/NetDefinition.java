package io.batchgate.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job net of the catalog: members (jobs or nested nets) joined by edges that follow how each
 * predecessor ended, like a JP1 jobnet.
 *
 * @param params the net run's parameters, bound like a job's; members reference them as {@code ${NAME}}
 * @param members insertion-ordered as in the catalog
 * @param overlap what a new run of the net does while another is active: {@link Overlap#ALLOW} or {@link
 *     Overlap#FORBID}
 * @param schedule when the net runs by itself; named after the net
 */
public record NetDefinition(
        String name,
        String description,
        Map<String, ParamSpec> params,
        Map<String, NetMember> members,
        Overlap overlap,
        Optional<ScheduleSpec> schedule,
        String file,
        int line) {

    public NetDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(schedule, "schedule");
        if (overlap != Overlap.ALLOW && overlap != Overlap.FORBID) {
            throw new IllegalArgumentException("a net's overlap is allow or forbid, found " + overlap.id());
        }
    }

    /** Binds and checks a net run's parameters, as for a job. */
    public BoundParams bind(Map<String, String> raw) {
        return ParamBinder.bind(params, raw);
    }

    public NetMember member(String name) {
        NetMember member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("net " + this.name + " has no member " + name);
        }
        return member;
    }

    /** The members that have an edge from {@code member}. */
    public List<NetMember> successors(String member) {
        return members.values().stream()
                .filter(m -> m.after().stream().anyMatch(e -> e.from().equals(member)))
                .toList();
    }
}
