package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes imported jobs as a catalog file's {@code jobs:}. Every job declares the JP1 runtime variables it may be given:
 * {@code AJSEXDATE} (the scheduled date, {@code yyyy/mm/dd} as JP1 writes it, so scripts keep parsing it) and
 * {@code AJSPRE_RC} (the preceding member's exit code); {@code AJSNETNAME} and {@code AJSJOBNAME} are fixed env.
 */
final class JobYamlWriter {

    static final String EXDATE = "AJSEXDATE";
    static final String PRE_RC = "AJSPRE_RC";
    static final String EXDATE_PATTERN = "[0-9]{4}/[0-9]{2}/[0-9]{2}";

    private final Options options;

    JobYamlWriter(Options options) {
        this.options = options;
    }

    String write(List<Job> jobs, String header) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Job job : jobs) {
            all.put(job.name(), job(job));
        }
        return header + YamlText.render(Map.of("jobs", all));
    }

    private Map<String, Object> job(Job job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", job.description());
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("command", job.command());
        job.workingDir().ifPresent(dir -> local.put("workingDir", dir));
        local.put("env", job.env());
        out.put("local", local);
        if (options.ecsCluster().isPresent() && options.taskDefinition().isPresent()) {
            Map<String, Object> ecs = new LinkedHashMap<>();
            ecs.put("cluster", options.ecsCluster().get());
            ecs.put("taskDefinition", options.taskDefinition().get());
            ecs.put("container", options.container());
            ecs.put("command", job.command());
            ecs.put("env", job.env());
            out.put("ecs", ecs);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(
                EXDATE,
                map(
                        "type",
                        "string",
                        "pattern",
                        EXDATE_PATTERN,
                        "maxLength",
                        10,
                        "description",
                        "JP1's scheduled date of the net run (yyyy/mm/dd)"));
        params.put(
                PRE_RC,
                map(
                        "type", "int",
                        "description", "JP1's return code of the preceding unit, when the net passes it"));
        out.put("params", params);
        job.exitCodes().ifPresent(codes -> {
            Map<String, Object> exitCodes = new LinkedHashMap<>();
            exitCodes.put("success", codes.success());
            if (!codes.warning().isEmpty()) {
                exitCodes.put("warning", codes.warning());
            }
            out.put("exitCodes", exitCodes);
        });
        job.retry().ifPresent(retry -> {
            Map<String, Object> out2 = new LinkedHashMap<>();
            out2.put("maxAttempts", retry.retries() + 1);
            out2.put(
                    "backoff",
                    map(
                            "initial",
                            retry.intervalMinutes() + "m",
                            "multiplier",
                            1.0,
                            "max",
                            retry.intervalMinutes() + "m"));
            Object codes = retry.from() == retry.to() ? (Object) retry.from() : retry.from() + "-" + retry.to();
            out2.put("rules", List.of(map("exitCodes", List.of(codes), "action", "RETRY")));
            out.put("retry", out2);
        });
        job.runTimeoutMinutes().ifPresent(minutes -> out.put("timeouts", map("run", minutes + "m")));
        return out;
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
