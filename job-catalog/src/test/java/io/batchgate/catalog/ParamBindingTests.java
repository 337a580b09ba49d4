package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParamBindingTests {

    private static final ParamSpec TEXT = spec("TEXT", ParamType.STRING, false, null, null, 8, null, null, List.of());
    private static final ParamSpec WORD =
            spec("WORD", ParamType.STRING, false, null, Pattern.compile("[a-z]+"), 256, null, null, List.of());
    private static final ParamSpec COUNT = spec("COUNT", ParamType.INT, false, null, null, 256, -5, 100, List.of());
    private static final ParamSpec BIG = spec("BIG", ParamType.INT, false, null, null, 256, null, null, List.of());
    private static final ParamSpec FLAG = spec("FLAG", ParamType.BOOL, false, null, null, 256, null, null, List.of());
    private static final ParamSpec DAY = spec("DAY", ParamType.DATE, false, null, null, 256, null, null, List.of());
    private static final ParamSpec MODE =
            spec("MODE", ParamType.ENUM, false, null, null, 256, null, null, List.of("full", "incremental"));

    private static final JobDefinition JOB = job(TEXT, WORD, COUNT, BIG, FLAG, DAY, MODE);

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            TEXT  | hello          | hello
            TEXT  | ''             | ''
            TEXT  | 'a\tb'         | 'a\tb'
            WORD  | abc            | abc
            COUNT | 7              | 7
            COUNT | 007            | 7
            COUNT | -5             | -5
            COUNT | 100            | 100
            COUNT | -0             | 0
            BIG   | 2147483647     | 2147483647
            BIG   | -2147483648    | -2147483648
            FLAG  | true           | true
            FLAG  | false          | false
            DAY   | 2026-02-28     | 2026-02-28
            DAY   | 2024-02-29     | 2024-02-29
            DAY   | 2026/03/01     | 2026-03-01
            MODE  | incremental    | incremental
            """)
    void acceptsAndNormalizes(String param, String value, String normalized) {
        assertThat(JOB.bind(Map.of(param, value)).values()).containsEntry(param, normalized);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            TEXT  | 123456789            | longer than 8 characters
            WORD  | abc1                 | must match pattern [a-z]+, found 'abc1'
            WORD  | xabc d               | must match pattern [a-z]+, found 'xabc d'
            COUNT | abc                  | must be an integer, found 'abc'
            COUNT | 1.5                  | must be an integer, found '1.5'
            COUNT | +1                   | must be an integer, found '+1'
            COUNT | ' 1'                 | must be an integer, found ' 1'
            COUNT | ''                   | must be an integer, found ''
            COUNT | 101                  | must be at most 100, found '101'
            COUNT | -6                   | must be at least -5, found '-6'
            BIG   | 2147483648           | must be an integer from -2147483648 to 2147483647, found '2147483648'
            BIG   | 99999999999999999999 | must be an integer from -2147483648 to 2147483647, found '99999999999999999999'
            FLAG  | TRUE                 | must be true or false, found 'TRUE'
            FLAG  | yes                  | must be true or false, found 'yes'
            FLAG  | 1                    | must be true or false, found '1'
            DAY   | 2026-02-30           | is not a valid calendar date, found '2026-02-30'
            DAY   | 2026/02/30           | is not a valid calendar date, found '2026/02/30'
            DAY   | 2025-02-29           | is not a valid calendar date, found '2025-02-29'
            DAY   | 2026-13-01           | is not a valid calendar date, found '2026-13-01'
            DAY   | 2026-1-5             | must be a date as yyyy-MM-dd or yyyy/MM/dd, found '2026-1-5'
            DAY   | 2026-01/05           | must be a date as yyyy-MM-dd or yyyy/MM/dd, found '2026-01/05'
            DAY   | 20260105             | must be a date as yyyy-MM-dd or yyyy/MM/dd, found '20260105'
            MODE  | FULL                 | must be one of full, incremental, found 'FULL'
            MODE  | ''                   | must be one of full, incremental, found ''
            """)
    void rejectsWithAShortMessage(String param, String value, String message) {
        assertThat(violations(JOB, Map.of(param, value))).containsExactly(new ParamViolation(param, message));
    }

    @ParameterizedTest
    @CsvSource({"TEXT", "WORD", "MODE", "DAY"})
    void rejectsControlCharactersButTab(String param) {
        assertThat(violations(JOB, Map.of(param, "a\u0000b")))
                .containsExactly(new ParamViolation(param, "contains a control character"));
        assertThat(violations(JOB, Map.of(param, "line\nbreak")))
                .containsExactly(new ParamViolation(param, "contains a control character"));
        assertThat(violations(JOB, Map.of(param, "del\u007f")))
                .containsExactly(new ParamViolation(param, "contains a control character"));
    }

    @Test
    void echoesAtMostFortyCharactersOfAValue() {
        String value = "x".repeat(60);
        ParamSpec longWord =
                spec("W", ParamType.STRING, false, null, Pattern.compile("y+"), 256, null, null, List.of());

        assertThat(violations(job(longWord), Map.of("W", value)))
                .containsExactly(new ParamViolation("W", "must match pattern y+, found '" + "x".repeat(40) + "...'"));
    }

    @Test
    void reportsUnknownParamsWithTheAllowedOnes() {
        JobDefinition job = job(TEXT, FLAG);

        assertThat(violations(job, Map.of("ZED", "1", "ALPHA", "2")))
                .containsExactly(
                        new ParamViolation("ALPHA", "unknown parameter (allowed: TEXT, FLAG)"),
                        new ParamViolation("ZED", "unknown parameter (allowed: TEXT, FLAG)"));
        assertThat(violations(job(), Map.of("X", "1")))
                .containsExactly(new ParamViolation("X", "this job takes no parameters"));
    }

    @Test
    void reportsMissingRequiredParamsAndEveryOtherViolationAtOnce() {
        ParamSpec date = spec("BUSINESS_DATE", ParamType.DATE, true, null, null, 256, null, null, List.of());
        JobDefinition job = job(date, COUNT, FLAG);

        InvalidParamsException failure = catchThrowableOfType(
                InvalidParamsException.class, () -> job.bind(Map.of("COUNT", "x", "FLAG", "no", "EXTRA", "1")));

        assertThat(failure.violations())
                .containsExactly(
                        new ParamViolation("EXTRA", "unknown parameter (allowed: BUSINESS_DATE, COUNT, FLAG)"),
                        new ParamViolation("BUSINESS_DATE", "required"),
                        new ParamViolation("COUNT", "must be an integer, found 'x'"),
                        new ParamViolation("FLAG", "must be true or false, found 'no'"));
        assertThat(failure.getMessage())
                .isEqualTo("EXTRA: unknown parameter (allowed: BUSINESS_DATE, COUNT, FLAG); BUSINESS_DATE: required;"
                        + " COUNT: must be an integer, found 'x'; FLAG: must be true or false, found 'no'");
    }

    @Test
    void appliesDefaultsInSpecOrderAndOmitsAbsentOptionalParams() {
        ParamSpec target = spec(
                "TARGET", ParamType.ENUM, false, "incremental", null, 256, null, null, List.of("full", "incremental"));
        ParamSpec dryRun = spec("DRY_RUN", ParamType.BOOL, false, "false", null, 256, null, null, List.of());
        ParamSpec day = spec("DAY", ParamType.DATE, true, null, null, 256, null, null, List.of());
        ParamSpec note = spec("NOTE", ParamType.STRING, false, null, null, 256, null, null, List.of());
        JobDefinition job = job(target, dryRun, day, note);

        BoundParams bound = job.bind(Map.of("DAY", "2026/04/01", "DRY_RUN", "true"));

        assertThat(bound.values())
                .containsExactly(
                        Map.entry("TARGET", "incremental"),
                        Map.entry("DRY_RUN", "true"),
                        Map.entry("DAY", "2026-04-01"));
    }

    @Test
    void masksSecretsAndNeverEchoesTheirValues() {
        ParamSpec token = spec(
                "TOKEN",
                ParamType.STRING,
                false,
                null,
                Pattern.compile("[a-f0-9]{8}"),
                16,
                null,
                null,
                List.of(),
                true);
        ParamSpec pin = spec("PIN", ParamType.INT, false, null, null, 256, 0, 9999, List.of(), true);
        JobDefinition job = job(TEXT, token, pin);

        BoundParams bound = job.bind(Map.of("TEXT", "visible", "TOKEN", "deadbeef"));
        assertThat(bound.values()).containsEntry("TOKEN", "deadbeef");
        assertThat(bound.secretNames()).containsExactly("TOKEN", "PIN");
        assertThat(bound.masked()).containsExactly(Map.entry("TEXT", "visible"), Map.entry("TOKEN", "******"));
        assertThat(bound.toString()).doesNotContain("deadbeef");

        InvalidParamsException failure = catchThrowableOfType(
                InvalidParamsException.class, () -> job.bind(Map.of("TOKEN", "hunter2-secret", "PIN", "123456")));
        assertThat(failure.violations())
                .containsExactly(
                        new ParamViolation("TOKEN", "must match pattern [a-f0-9]{8}"),
                        new ParamViolation("PIN", "must be at most 9999"));
        assertThat(failure.getMessage()).doesNotContain("hunter2").doesNotContain("123456");
    }

    @Test
    void boundValuesAreImmutable() {
        Map<String, String> raw = new LinkedHashMap<>(Map.of("TEXT", "a"));
        BoundParams bound = JOB.bind(raw);

        raw.put("TEXT", "b");

        assertThat(bound.values()).containsEntry("TEXT", "a");
        assertThatThrownBy(() -> bound.values().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void specRefusesAnInvalidDefault() {
        assertThatThrownBy(() -> spec("N", ParamType.INT, false, "abc", null, 256, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("N: invalid default: must be an integer, found 'abc'");
    }

    private static List<ParamViolation> violations(JobDefinition job, Map<String, String> raw) {
        InvalidParamsException failure = catchThrowableOfType(InvalidParamsException.class, () -> job.bind(raw));
        assertThat(failure).as("expected %s to be refused", raw).isNotNull();
        return failure.violations();
    }

    static JobDefinition job(ParamSpec... specs) {
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            params.put(spec.name(), spec);
        }
        LocalTarget local = new LocalTarget(List.of("true"), Optional.empty(), Map.of());
        return new JobDefinition(
                "job",
                "",
                Optional.empty(),
                Optional.of(local),
                Optional.empty(),
                params,
                ExitCodePolicy.defaults(),
                "test.yaml",
                1,
                RetryPolicy.none(),
                Timeouts.defaults(),
                ConcurrencyPolicy.defaults(),
                Optional.empty(),
                Map.of(),
                Optional.empty());
    }

    private static ParamSpec spec(
            String name,
            ParamType type,
            boolean required,
            String defaultValue,
            Pattern pattern,
            int maxLength,
            Integer min,
            Integer max,
            List<String> values) {
        return spec(name, type, required, defaultValue, pattern, maxLength, min, max, values, false);
    }

    private static ParamSpec spec(
            String name,
            ParamType type,
            boolean required,
            String defaultValue,
            Pattern pattern,
            int maxLength,
            Integer min,
            Integer max,
            List<String> values,
            boolean secret) {
        return new ParamSpec(
                name,
                type,
                required,
                Optional.ofNullable(defaultValue),
                Optional.ofNullable(pattern),
                maxLength,
                Optional.ofNullable(min),
                Optional.ofNullable(max),
                values,
                secret,
                "");
    }
}
