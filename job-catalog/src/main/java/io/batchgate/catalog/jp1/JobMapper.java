package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportedCatalog.ExitCodes;
import io.batchgate.catalog.jp1.ImportedCatalog.Job;
import io.batchgate.catalog.jp1.ImportedCatalog.Retry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Turns a Unix ({@code j}, {@code rj}) or PC ({@code pj}, {@code rp}) job into a catalog job: its command from
 * {@code te}/{@code sc}/{@code prm}, {@code wkp} and {@code env}; its end judgment from {@code jd}/{@code wth}/
 * {@code tho}; JP1's automatic retry from {@code abr}/{@code rjs}/{@code rje}/{@code rec}/{@code rei}; {@code etm} as
 * the run timeout. Every other field is reported.
 */
final class JobMapper {

    /** The highest exit code a process can have; JP1's thresholds go up to 2147483647. */
    static final int MAX_CODE = 255;

    static final long MAX_THRESHOLD = 2_147_483_647L;
    static final long MAX_RETRY_CODE = 4_294_967_295L;
    static final int MAX_ATTEMPTS = 10;

    private static final Set<String> MAPPED = Set.of(
            "ty", "cm", "te", "sc", "prm", "wkp", "env", "etm", "jd", "wth", "tho", "abr", "rjs", "rje", "rec", "rei");
    private static final Map<String, String> NOT_MAPPED = notMapped();
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** JP1's macro variables, {@code ?AJS2NAME?}, filled from an event job's information. */
    private static final Pattern MACRO = Pattern.compile("\\?AJS2[A-Z0-9.]*\\?");

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

    private final ImportReport report;
    private final Numbers numbers;

    JobMapper(ImportReport report, Numbers numbers) {
        this.report = report;
        this.numbers = numbers;
    }

    Job map(Unit unit, String name, String file, String netPath) {
        boolean pc = unit.type() == UnitType.PC_JOB
                || unit.type() == UnitType.RECOVERY_PC_JOB
                || unit.type() == UnitType.RECOVERY_PC_JOB_ALIAS;
        String description = unit.param("cm").map(UnitParam::text).orElse("JP1 " + unit.path());
        List<String> command = command(unit, pc);
        Optional<String> workingDir = unit.param("wkp").map(UnitParam::text).filter(s -> !s.isBlank());
        Map<String, String> env = env(unit, netPath);
        Optional<ExitCodes> exitCodes = exitCodes(unit);
        Optional<Retry> retry = retry(unit, exitCodes);
        Optional<Integer> timeout =
                numbers.read(unit, "etm", 1, 1440, "a timeout in minutes").map(Long::intValue);
        for (String key : List.of("te", "sc", "prm", "env", "wkp")) {
            for (UnitParam param : unit.all(key)) {
                java.util.regex.Matcher macro = MACRO.matcher(param.text());
                if (macro.find()) {
                    report.unmapped(
                            unit,
                            param,
                            "macro variable " + macro.group() + " (information passed on by an event job) is not"
                                    + " replaced: it stays as written");
                }
            }
        }
        for (UnitParam param : unit.params()) {
            if (MAPPED.contains(param.key())) {
                continue;
            }
            String why = NOT_MAPPED.getOrDefault(param.key(), "not a Unix/PC job field the importer knows");
            if (param.key().equals("ha") && param.text().equals("n")) {
                continue;
            }
            report.unmapped(unit, param, why);
        }
        report.unit(unit, "job " + name);
        return new Job(name, file, unit, description, command, workingDir, env, exitCodes, retry, timeout);
    }

    /**
     * {@code te} (command text) runs as a script; {@code sc} with {@code prm} as a command line, through the shell so
     * that {@code $AJSEXDATE} and the like in {@code prm} expand as they did under JP1.
     */
    private List<String> command(Unit unit, boolean pc) {
        List<String> lines = new ArrayList<>();
        unit.param("te").map(UnitParam::text).filter(s -> !s.isBlank()).ifPresent(lines::add);
        unit.param("sc").map(UnitParam::text).filter(s -> !s.isBlank()).ifPresent(script -> {
            String prm = unit.param("prm").map(UnitParam::text).orElse("").trim();
            String invocation = pc ? script : shellWord(script);
            lines.add(prm.isEmpty() ? invocation : invocation + " " + prm);
        });
        if (lines.isEmpty()) {
            report.unmapped(unit, "sc", "the job has neither sc (script) nor te (command text): its command is `true`");
            lines.add("true");
        }
        if (pc) {
            report.partial(
                    unit,
                    "ty",
                    "PC job: its command is kept as a Windows command line run by cmd.exe, which only a runner on"
                            + " Windows has; rewrite it for a Linux runner or an ECS task");
            return List.of("cmd.exe", "/c", String.join(" & ", lines));
        }
        return List.of("/bin/sh", "-c", String.join("\n", lines));
    }

    private static String shellWord(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private Map<String, String> env(Unit unit, String netPath) {
        Map<String, String> env = new LinkedHashMap<>();
        for (UnitParam param : unit.all("env")) {
            for (String assignment : param.text().split("\n")) {
                int eq = assignment.indexOf('=');
                String name =
                        eq < 0 ? assignment.trim() : assignment.substring(0, eq).trim();
                if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                    report.unmapped(unit, param, "'" + assignment + "' is not NAME=value");
                } else if (name.startsWith("BATCHGATE_") || name.startsWith("AJS")) {
                    report.unmapped(
                            unit, param, name + " is set by batchgate (BATCHGATE_*) or by the import (AJS*): not kept");
                } else {
                    env.put(name, assignment.substring(eq + 1));
                }
            }
        }
        env.put("AJSNETNAME", netPath);
        env.put("AJSJOBNAME", unit.path());
        return env;
    }

    /**
     * JP1 judges a return code by thresholds it must be <em>greater than</em>: up to {@code wth} is a normal end, above
     * {@code wth} up to {@code tho} a warning, above {@code tho} an abnormal end. Without {@code wth} there is no
     * warning; {@code tho} defaults to 0.
     */
    private Optional<ExitCodes> exitCodes(Unit unit) {
        String jd = unit.param("jd").map(UnitParam::text).orElse("cod");
        Optional<Long> wth = numbers.read(unit, "wth", 0, MAX_THRESHOLD, "a warning threshold");
        Optional<Long> tho = numbers.read(unit, "tho", 0, MAX_THRESHOLD, "an abnormal threshold");
        if (!jd.equals("cod")) {
            // reported all the same: nothing in the definition goes without a line in the report
            for (String threshold : List.of("wth", "tho")) {
                unit.param(threshold)
                        .ifPresent(param -> report.ignored(
                                unit,
                                param,
                                "JP1 reads the thresholds only with jd=cod; with jd=" + jd + " it ignores them too"));
            }
        }
        switch (jd) {
            case "cod" -> {
                long abnormal = tho.orElse(0L);
                long normal = wth.map(w -> Math.min(w, abnormal)).orElse(abnormal);
                if (wth.isPresent() && wth.get() >= abnormal) {
                    report.partial(
                            unit,
                            unit.param("wth").orElseThrow(),
                            "wth=" + wth.get() + " is not below tho=" + abnormal + ": no code ends with a warning");
                }
                List<Integer> success = codes(0, normal);
                List<Integer> warning = codes(normal + 1, abnormal);
                if (success.equals(List.of(0)) && warning.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new ExitCodes(success, warning));
            }
            case "nm" -> {
                return Optional.of(new ExitCodes(codes(0, MAX_CODE), List.of()));
            }
            case "ab" ->
                report.unmapped(
                        unit,
                        unit.param("jd").orElseThrow(),
                        "jd=ab (always abnormal) has no catalog form: every exit code would be a failure, and success"
                                + " must list one; the job keeps the default (0 is success)");
            case "mdf", "exf" ->
                report.unmapped(
                        unit,
                        unit.param("jd").orElseThrow(),
                        "jd=" + jd + " judges by an end-judgment file (jdf), which batchgate does not read; the job"
                                + " keeps the default (0 is success)");
            default ->
                report.unmapped(
                        unit,
                        unit.param("jd").orElseThrow(),
                        "unknown end judgment jd=" + jd + " (nm, ab, cod, mdf or exf); the job keeps the default");
        }
        return Optional.empty();
    }

    private static List<Integer> codes(long from, long to) {
        if (from > MAX_CODE || to < from) {
            return List.of();
        }
        return IntStream.rangeClosed((int) from, (int) Math.min(to, MAX_CODE))
                .boxed()
                .toList();
    }

    /** JP1 retries an abnormal end whose code is from {@code rjs} to {@code rje}, {@code rec} times, every rei minutes. */
    private Optional<Retry> retry(Unit unit, Optional<ExitCodes> exitCodes) {
        boolean enabled =
                unit.param("abr").map(UnitParam::text).map("y"::equals).orElse(false);
        Optional<Long> from = numbers.read(unit, "rjs", 0, MAX_RETRY_CODE, "a return code");
        Optional<Long> to = numbers.read(unit, "rje", 0, MAX_RETRY_CODE, "a return code");
        Optional<Long> count = numbers.read(unit, "rec", 1, 12, "a retry count");
        Optional<Long> interval = numbers.read(unit, "rei", 1, 10, "a retry interval in minutes");
        if (!enabled) {
            for (String key : List.of("rjs", "rje", "rec", "rei")) {
                unit.param(key).ifPresent(p -> report.ignored(unit, p, "abr is not y: JP1 does not retry either"));
            }
            return Optional.empty();
        }
        long lowest = from.orElse(1L);
        long highest = Math.min(to.orElse(MAX_RETRY_CODE), MAX_CODE);
        if (lowest > highest) {
            long lastRetried = to.orElse(MAX_RETRY_CODE);
            report.unmapped(
                    unit,
                    unit.param("rjs").or(() -> unit.param("rje")).orElseThrow(),
                    "no code from rjs=" + lowest + " to rje=" + lastRetried
                            + (lowest > lastRetried
                                    ? " (rjs is above rje)"
                                    : " is 255 or below, the codes a process" + " exits with")
                            + ": no retry");
            return Optional.empty();
        }
        int retries = count.orElse(1L).intValue();
        if (retries + 1 > MAX_ATTEMPTS) {
            report.partial(
                    unit,
                    unit.param("rec").orElseThrow(),
                    "rec=" + retries + " retries: batchgate runs at most " + MAX_ATTEMPTS + " attempts, so "
                            + (MAX_ATTEMPTS - 1) + " retries");
            retries = MAX_ATTEMPTS - 1;
        }
        int minutes = interval.orElse(1L).intValue();
        report.partial(
                unit,
                unit.param("abr").orElseThrow(),
                "retried after a random wait of up to " + minutes + "m (batchgate's backoff has full jitter);"
                        + " JP1 waits exactly " + minutes + "m");
        return Optional.of(new Retry(retries, minutes, (int) lowest, (int) highest));
    }

    private static Map<String, String> notMapped() {
        Map<String, String> why = new LinkedHashMap<>();
        why.put("ev", "environment variable file: batchgate does not read it; put its variables in env");
        why.put("si", "standard input file: not supported; redirect in the command");
        why.put(
                "so",
                "standard output file: batchgate keeps the job's output in the run's log; redirect in the"
                        + " command to also write the file");
        why.put(
                "se",
                "standard error file: batchgate keeps the job's output in the run's log; redirect in the"
                        + " command to also write the file");
        why.put("soa", "standard output append mode: see so");
        why.put("sea", "standard error append mode: see se");
        why.put(
                "fd",
                "time required for execution (end-delay monitoring): batchgate has no end-delay alert; the"
                        + " heartbeat monitor's grace is the nearest");
        why.put("pr", "job priority: batchgate has no priorities");
        why.put("ex", "execution agent host: the job runs on a batchgate runner (local) or ECS, not on a named host");
        why.put("un", "target OS user: the job runs as the runner's user (or the ECS task's)");
        why.put("eu", "which JP1 user runs the job: batchgate has no JP1 users");
        why.put("jdf", "end-judgment file: batchgate judges exit codes only");
        why.put("jty", "queueing attribute: not applicable");
        why.put(
                "ha",
                "hold: JP1 stops the jobnet before this job until an operator releases it; batchgate nets have"
                        + " no hold");
        for (int i = 1; i <= 4; i++) {
            why.put("ts" + i, "file transfer before the job: not supported; copy the file in the command");
            why.put("td" + i, "file transfer destination: not supported");
            why.put("top" + i, "file transfer option: not supported");
        }
        for (String wait : List.of("mm", "nmg", "eun", "ega", "uem")) {
            why.put(wait, "wait condition on another unit's end: batchgate nets wait only on members of the same net");
        }
        return why;
    }
}
