package io.batchgate.gateway.console;

import io.batchgate.runner.run.RunStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The filters of the runs page as they live in its URL ({@code ?job=&status=&caller=&from=&to=&q=}),
 * so a filtered list can be shared as a link. Times are UTC, as {@code yyyy-MM-ddTHH:mm} (what a
 * {@code datetime-local} input sends) or an ISO instant; a value that does not parse is reported
 * and ignored rather than failing the page.
 */
record RunFilter(
        Optional<String> job,
        Optional<RunStatus> status,
        Optional<String> caller,
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<String> text,
        Optional<String> problem) {

    static final int MAX_TEXT = 100;

    static RunFilter none() {
        return new RunFilter(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    static RunFilter parse(
            @Nullable String job,
            @Nullable String status,
            @Nullable String caller,
            @Nullable String from,
            @Nullable String to,
            @Nullable String text) {
        StringBuilder problems = new StringBuilder();
        Optional<RunStatus> parsedStatus = Optional.empty();
        if (present(status)) {
            try {
                parsedStatus = Optional.of(RunStatus.valueOf(status.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.append("Unknown status '").append(clip(status)).append("' ignored. ");
            }
        }
        Optional<Instant> parsedFrom = time(from, "from", problems);
        Optional<Instant> parsedTo = time(to, "to", problems);
        return new RunFilter(
                present(job) ? Optional.of(clip(job.strip())) : Optional.empty(),
                parsedStatus,
                present(caller) ? Optional.of(clip(caller.strip())) : Optional.empty(),
                parsedFrom,
                parsedTo,
                present(text) ? Optional.of(clip(text.strip())) : Optional.empty(),
                problems.isEmpty()
                        ? Optional.empty()
                        : Optional.of(problems.toString().strip()));
    }

    RunFilter withStatus(Optional<RunStatus> other) {
        return new RunFilter(job, other, caller, from, to, text, problem);
    }

    /** The URL query of this filter (and an optional cursor), for links that keep it. */
    String query(@Nullable RunStatus otherStatus, boolean keepStatus, @Nullable String before) {
        Map<String, String> values = new LinkedHashMap<>();
        job.ifPresent(v -> values.put("job", v));
        if (keepStatus) {
            status.ifPresent(v -> values.put("status", v.name()));
        } else if (otherStatus != null) {
            values.put("status", otherStatus.name());
        }
        caller.ifPresent(v -> values.put("caller", v));
        from.ifPresent(v -> values.put("from", input(v)));
        to.ifPresent(v -> values.put("to", input(v)));
        text.ifPresent(v -> values.put("q", v));
        if (before != null) {
            values.put("before", before);
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath("/ui/runs");
        values.forEach(builder::queryParam);
        return builder.encode().build().toUriString();
    }

    /** The value of a {@code datetime-local} input for an instant (UTC, minutes). */
    static String input(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString().substring(0, 16);
    }

    private static Optional<Instant> time(@Nullable String value, String name, StringBuilder problems) {
        if (!present(value)) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException again) {
                problems.append("'").append(name).append("' is not a time (yyyy-MM-ddTHH:mm, UTC): ignored. ");
                return Optional.empty();
            }
        }
    }

    private static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static String clip(String value) {
        String cleaned = value.replaceAll("\\p{Cntrl}", "");
        return cleaned.length() > MAX_TEXT ? cleaned.substring(0, MAX_TEXT) : cleaned;
    }
}
