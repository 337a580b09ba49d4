package io.batchgate.catalog.jp1;

import io.batchgate.catalog.jp1.ImportReport.Finding;
import io.batchgate.catalog.jp1.ImportReport.Severity;
import io.batchgate.catalog.jp1.ImportReport.UnitOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the report as {@code import-report.md} for people and {@code import-report.json} for tools. */
final class ReportWriter {

    /** How the imported jobs get the variables JP1 sets; the same for every import. */
    static final String RUNTIME_VARIABLES = """
            - `AJSNETNAME` and `AJSJOBNAME`: fixed `env` of each job (the unit paths as printed by ajsprint, from
              the unit it was given).
            - `AJSEXDATE`: a `yyyy/mm/dd` string param of each job; each net declares it (required), hands it to
              every member, and its schedule sets it to the nominal date (`${AJSEXDATE}`). Give it when you run a
              net by hand.
            - `AJSPRE_RC`: an optional `int` param of each job; a net sets it to the exit code of the member's
              predecessor (the highest, for a join). A member without a predecessor, or a job run by itself,
              sees it unset.
            """;

    /** Defaults the import takes where the input leaves a field out; JP1 managers may be set up otherwise. */
    static final String ASSUMPTIONS = """
            Where a field is left out the import takes JP1's usual default: `jd=cod`, `tho=0` (only 0 is a
            normal end), no `wth` (no warning), `st=00:00`, `sh=no` (closed days are not shifted), `shd=2`,
            and for `abr=y` `rjs=1`, `rje=4294967295`, `rec=1`, `rei=1`. `sd=en` is the day the jobnet was
            registered for execution, which ajsprint does not print. Schedules are in the time zone below
            (`--time-zone`), as ajsprint does not print the manager's.
            """;

    /** An input file and the encoding it was read with. */
    record Input(String file, String encoding) {}

    String markdown(
            ImportReport report, List<Input> inputs, Map<String, Integer> written, int exitCode, String timeZone) {
        StringBuilder out = new StringBuilder("# JP1/AJS3 import report\n\n");
        out.append("Read: ");
        for (int i = 0; i < inputs.size(); i++) {
            out.append(i == 0 ? "" : ", ")
                    .append('`')
                    .append(inputs.get(i).file())
                    .append("` (")
                    .append(inputs.get(i).encoding())
                    .append(')');
        }
        out.append("\n\nWrote: ");
        written.forEach((what, n) -> out.append(n).append(' ').append(what).append(", "));
        out.setLength(out.length() - 2);
        List<Finding> findings = report.findings();
        long notMoved =
                findings.stream().filter(f -> f.severity() == Severity.UNMAPPED).count();
        long partial =
                findings.stream().filter(f -> f.severity() == Severity.PARTIAL).count();
        long ignored =
                findings.stream().filter(f -> f.severity() == Severity.IGNORED).count();
        out.append(".\n\n")
                .append(notMoved)
                .append(" not moved, ")
                .append(partial)
                .append(" moved in part, ")
                .append(ignored)
                .append(" ignored on purpose; exit code ")
                .append(exitCode)
                .append(".\n\n## Not moved\n\n");
        section(out, findings, Severity.UNMAPPED);
        out.append("\n## Moved in part\n\n");
        section(out, findings, Severity.PARTIAL);
        out.append("\n## JP1 runtime variables\n\n").append(RUNTIME_VARIABLES);
        out.append("\n## Assumptions\n\n")
                .append(ASSUMPTIONS)
                .append("\nTime zone: ")
                .append(timeZone)
                .append(".\n");
        out.append("\n## Units\n\n| unit | ty | where | became |\n| --- | --- | --- | --- |\n");
        for (UnitOutcome unit : report.units()) {
            out.append("| `")
                    .append(unit.path())
                    .append("` | ")
                    .append(unit.type())
                    .append(" | ")
                    .append(unit.file())
                    .append(':')
                    .append(unit.line())
                    .append(" | ")
                    .append(unit.became().replace("|", "\\|"))
                    .append(" |\n");
        }
        out.append("\n## Ignored on purpose\n\nEach occurrence is listed in import-report.json.\n\n"
                + "| field | occurrences | why |\n| --- | --- | --- |\n");
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> why = new LinkedHashMap<>();
        findings.stream().filter(f -> f.severity() == Severity.IGNORED).forEach(f -> {
            counts.merge(f.field(), 1, Integer::sum);
            why.putIfAbsent(f.field(), f.why().replaceAll(" \\(.*\\):", ":"));
        });
        counts.forEach((field, n) -> out.append("| `")
                .append(field)
                .append("` | ")
                .append(n)
                .append(" | ")
                .append(why.get(field))
                .append(" |\n"));
        return out.toString();
    }

    /** One {@code file:line: unit path: field: why} line per finding, in a text block so it reads as written. */
    private static void section(StringBuilder out, List<Finding> findings, Severity severity) {
        List<Finding> these =
                findings.stream().filter(f -> f.severity() == severity).toList();
        if (these.isEmpty()) {
            out.append("Nothing.\n");
            return;
        }
        out.append("```text\n");
        these.forEach(finding -> out.append(finding).append('\n'));
        out.append("```\n");
    }

    String json(ImportReport report, List<Input> inputs, Map<String, Integer> written, int exitCode, String timeZone) {
        StringBuilder out =
                new StringBuilder("{\n  \"exitCode\": ").append(exitCode).append(",\n  \"inputs\": [");
        for (int i = 0; i < inputs.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"file\": ")
                    .append(YamlText.quoted(inputs.get(i).file()))
                    .append(", \"encoding\": ")
                    .append(YamlText.quoted(inputs.get(i).encoding()))
                    .append('}');
        }
        out.append("\n  ],\n  \"written\": {");
        int n = 0;
        for (Map.Entry<String, Integer> entry : written.entrySet()) {
            out.append(n++ == 0 ? "" : ", ")
                    .append(YamlText.quoted(entry.getKey()))
                    .append(": ")
                    .append(entry.getValue());
        }
        out.append("},\n  \"timeZone\": ")
                .append(YamlText.quoted(timeZone))
                .append(",\n  \"assumptions\": ")
                .append(YamlText.quoted(ASSUMPTIONS))
                .append(",\n  \"runtimeVariables\": ")
                .append(YamlText.quoted(RUNTIME_VARIABLES))
                .append(",\n  \"units\": [");
        List<UnitOutcome> units = report.units();
        for (int i = 0; i < units.size(); i++) {
            UnitOutcome unit = units.get(i);
            out.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"file\": ")
                    .append(YamlText.quoted(unit.file()))
                    .append(", \"line\": ")
                    .append(unit.line())
                    .append(", \"unit\": ")
                    .append(YamlText.quoted(unit.path()))
                    .append(", \"ty\": ")
                    .append(YamlText.quoted(unit.type()))
                    .append(", \"became\": ")
                    .append(YamlText.quoted(unit.became()))
                    .append('}');
        }
        out.append(units.isEmpty() ? "],\n" : "\n  ],\n").append("  \"findings\": [");
        List<Finding> findings = report.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            out.append(i == 0 ? "\n" : ",\n")
                    .append("    {\"file\": ")
                    .append(YamlText.quoted(f.file()))
                    .append(", \"line\": ")
                    .append(f.line())
                    .append(", \"unit\": ")
                    .append(YamlText.quoted(f.path()))
                    .append(", \"field\": ")
                    .append(YamlText.quoted(f.field()))
                    .append(", \"severity\": ")
                    .append(YamlText.quoted(f.severity().name()))
                    .append(", \"why\": ")
                    .append(YamlText.quoted(f.why()))
                    .append('}');
        }
        out.append(findings.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return out.toString();
    }
}
