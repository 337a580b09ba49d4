package io.batchgate.catalog.jp1;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an import did with every unit, and every unit or field it did not move: nothing is dropped without a line here.
 */
public final class ImportReport {

    /** How a finding affects the import's exit code. */
    public enum Severity {
        /** Not moved: the catalog behaves differently from JP1 here (exit code 1). */
        UNMAPPED,
        /** Moved only in part: the catalog's behaviour differs in the way the finding says (exit code 1). */
        PARTIAL,
        /** Deliberately not moved because batchgate has no use for it (layout, ownership); exit code 0. */
        IGNORED
    }

    /** A unit and what it became: {@code job night-daily-extract}, {@code net night-daily}, {@code folder night}. */
    public record UnitOutcome(String file, int line, String path, String type, String became) {}

    /** {@code file:line: unit path: field: why}. */
    public record Finding(String file, int line, String path, String field, Severity severity, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + path + ": " + field + ": " + why;
        }
    }

    private static final Comparator<Finding> BY_PLACE =
            Comparator.comparing(Finding::file).thenComparingInt(Finding::line).thenComparing(Finding::field);

    private final List<UnitOutcome> units = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    void unit(Unit unit, String became) {
        units.add(new UnitOutcome(
                unit.file(), unit.line(), unit.path(), unit.type().code(), became));
    }

    void unmapped(Unit unit, UnitParam param, String why) {
        findings.add(new Finding(unit.file(), param.line(), unit.path(), param.key(), Severity.UNMAPPED, why));
    }

    void unmapped(Unit unit, String field, String why) {
        findings.add(new Finding(unit.file(), unit.line(), unit.path(), field, Severity.UNMAPPED, why));
    }

    void partial(Unit unit, UnitParam param, String why) {
        findings.add(new Finding(unit.file(), param.line(), unit.path(), param.key(), Severity.PARTIAL, why));
    }

    void partial(Unit unit, String field, String why) {
        findings.add(new Finding(unit.file(), unit.line(), unit.path(), field, Severity.PARTIAL, why));
    }

    void ignored(Unit unit, UnitParam param, String why) {
        findings.add(new Finding(unit.file(), param.line(), unit.path(), param.key(), Severity.IGNORED, why));
    }

    void ignored(Unit unit, String field, String why) {
        findings.add(new Finding(unit.file(), unit.line(), unit.path(), field, Severity.IGNORED, why));
    }

    /** Sorted by file and line: a net comes before its members. */
    public List<UnitOutcome> units() {
        return units.stream()
                .sorted(Comparator.comparing(UnitOutcome::file).thenComparingInt(UnitOutcome::line))
                .toList();
    }

    /** Sorted by file, line and field. */
    public List<Finding> findings() {
        return findings.stream().sorted(BY_PLACE).toList();
    }

    /** Whether something was not moved, or moved only in part. */
    public boolean incomplete() {
        return findings.stream().anyMatch(f -> f.severity() != Severity.IGNORED);
    }
}
