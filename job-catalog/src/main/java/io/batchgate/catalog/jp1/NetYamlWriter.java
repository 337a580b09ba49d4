package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.Edge;
import io.batchgate.catalog.jp1.ImportedCatalog.Member;
import io.batchgate.catalog.jp1.ImportedCatalog.Net;
import io.batchgate.catalog.jp1.ImportedCatalog.When;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes imported nets as a catalog file's {@code nets:}, in the catalog's net format: members naming a {@code job} or
 * a {@code net}, with {@code after}, {@code afterWarning} and {@code afterFailure} edges, and the net parameter
 * {@code AJSEXDATE} handed to every member.
 */
final class NetYamlWriter {

    private final ScheduleYamlWriter schedules;

    NetYamlWriter(ScheduleYamlWriter schedules) {
        this.schedules = schedules;
    }

    String write(List<Net> nets, String header) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Net net : nets) {
            all.put(net.name(), net(net));
        }
        return header + YamlText.render(Map.of("nets", all));
    }

    private Map<String, Object> net(Net net) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", net.description());
        out.put(
                "params",
                Map.of(
                        JobYamlWriter.EXDATE,
                        JobYamlWriter.map(
                                "type",
                                "string",
                                "pattern",
                                JobYamlWriter.EXDATE_PATTERN,
                                "maxLength",
                                10,
                                "required",
                                true,
                                "description",
                                "JP1's scheduled date (yyyy/mm/dd), handed to every member")));
        Map<String, Object> members = new LinkedHashMap<>();
        for (Member member : net.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(member.kind() == Member.Kind.JOB ? "job" : "net", member.target());
            m.put("params", Map.of(JobYamlWriter.EXDATE, "${" + JobYamlWriter.EXDATE + "}"));
            for (When when : When.values()) {
                List<String> from = new ArrayList<>();
                for (Edge edge : member.after()) {
                    if (edge.when() == when) {
                        from.add(edge.from());
                    }
                }
                if (!from.isEmpty()) {
                    m.put(key(when), from);
                }
            }
            members.put(member.name(), m);
        }
        out.put("members", members);
        net.schedule().ifPresent(schedule -> out.put("schedule", schedules.schedule(schedule)));
        return out;
    }

    private static String key(When when) {
        return switch (when) {
            case SUCCESS -> "after";
            case WARNING -> "afterWarning";
            case FAILURE -> "afterFailure";
        };
    }
}
