package io.batchgate.gateway.console;

import io.batchgate.gateway.auth.Action;
import io.batchgate.gateway.auth.Caller;
import io.batchgate.runner.catalog.CurrentCatalog;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The timeline: a Gantt chart of the attempts of the last 24 hours, or of a chosen window (at most 7 days). */
@Controller
class TimelinePage {

    /** Bars drawn at most; a busier window says how to narrow it (a page stays well under 200 KB). */
    static final int MAX_BARS = 300;

    static final Duration MAX_WINDOW = Duration.ofDays(7);

    private final ConsoleRuns runs;
    private final CurrentCatalog catalog;
    private final Clock clock;
    private final ConsoleFormat format = new ConsoleFormat();

    TimelinePage(ConsoleRuns runs, CurrentCatalog catalog, Clock clock) {
        this.runs = runs;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/ui/timeline")
    String timeline(
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable Integer hours,
            @RequestParam(required = false) @Nullable String job,
            HttpServletRequest request,
            Model model) {
        Caller caller = Caller.of(request);
        Instant now = clock.instant();
        RunFilter window = RunFilter.parse(null, null, null, from, to, null);
        Instant end = window.to().orElse(now);
        Duration length = hours != null && hours > 0 ? Duration.ofHours(Math.min(hours, 24 * 7)) : Duration.ofHours(24);
        Instant start = window.from().orElse(end.minus(length));
        if (!start.isBefore(end)) {
            start = end.minus(Duration.ofHours(1));
        }
        if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            start = end.minus(MAX_WINDOW);
        }
        Optional<String> jobFilter = job == null || job.isBlank() ? Optional.empty() : Optional.of(job.strip());
        ConsoleRuns.Attempts attempts =
                runs.attempts(start, end, jobFilter, caller.scopes().readableGlobs(), MAX_BARS);
        model.addAttribute("gantt", Gantt.of(attempts.bars(), start, end, now, format));
        model.addAttribute("truncated", attempts.truncated());
        model.addAttribute("count", attempts.bars().size());
        model.addAttribute("fromInput", RunFilter.input(start));
        model.addAttribute("toInput", RunFilter.input(end));
        model.addAttribute("job", jobFilter.orElse(""));
        model.addAttribute(
                "jobs",
                catalog.get().jobs().keySet().stream()
                        .filter(name -> caller.scopes().allows(Action.READ, name))
                        .sorted()
                        .toList());
        model.addAttribute("maxBars", MAX_BARS);
        return "console/timeline";
    }
}
