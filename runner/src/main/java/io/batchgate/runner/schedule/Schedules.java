package io.batchgate.runner.schedule;

import io.batchgate.catalog.ScheduleSpec;
import io.batchgate.runner.catalog.CurrentCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The schedules of the current catalog with their state, for the API; and pause/resume. */
public class Schedules {

    /** How many next fire times a view shows. */
    static final int NEXT = 3;

    private final CurrentCatalog catalog;
    private final FireLedger ledger;
    private final Clock clock;

    public Schedules(CurrentCatalog catalog, FireLedger ledger, Clock clock) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** One schedule as the API shows it. */
    public record View(
            String name,
            String targetKind,
            String target,
            String zone,
            String rule,
            boolean paused,
            @Nullable Instant pausedOrResumedAt,
            @Nullable String pausedOrResumedBy,
            List<Instant> nextFires,
            Optional<FireLedger.FireRow> lastFire,
            String catchUp,
            @Nullable Instant checkedUntil,
            @Nullable String lastCatchUp) {}

    public List<View> all() {
        Map<String, FireLedger.State> states =
                ledger.states().stream().collect(Collectors.toMap(FireLedger.State::schedule, Function.identity()));
        List<View> views = new ArrayList<>();
        Instant now = clock.instant();
        for (ScheduleSpec spec : catalog.get().schedules().values()) {
            views.add(view(spec, states.get(spec.name()), now));
        }
        return views;
    }

    public Optional<View> find(String name) {
        return Optional.ofNullable(catalog.get().schedules().get(name))
                .map(spec -> view(spec, ledger.state(name).orElse(null), clock.instant()));
    }

    /** Pauses the schedule; empty if there is no such schedule, else whether it changed. */
    public Optional<Boolean> pause(String name, String by) {
        return setPaused(name, true, by);
    }

    /** Resumes it; fires that fell due while it was paused are not caught up. */
    public Optional<Boolean> resume(String name, String by) {
        return setPaused(name, false, by);
    }

    private Optional<Boolean> setPaused(String name, boolean paused, String by) {
        if (!catalog.get().schedules().containsKey(name)) {
            return Optional.empty();
        }
        return Optional.of(ledger.setPaused(name, paused, clock.instant(), by));
    }

    private View view(ScheduleSpec spec, FireLedger.@Nullable State state, Instant now) {
        boolean paused = state != null && state.paused();
        return new View(
                spec.name(),
                spec.target().kind().name().toLowerCase(java.util.Locale.ROOT),
                spec.target().name(),
                spec.zone().getId(),
                describe(spec),
                paused,
                state == null ? null : state.changedAt(),
                state == null ? null : state.changedBy(),
                paused
                        ? List.of()
                        : FireTimes.next(spec, now, NEXT).stream()
                                .map(Fire::nominal)
                                .toList(),
                ledger.last(spec.name()),
                spec.catchUp().name().toLowerCase(java.util.Locale.ROOT),
                state == null ? null : state.checkedUntil(),
                state == null ? null : state.catchUpNote());
    }

    /** The rule in the catalog's words: {@code business-days at 25:30 on calendar jp-business}. */
    static String describe(ScheduleSpec spec) {
        String days;
        if (spec.days() instanceof ScheduleSpec.DayRule.Cron cron) {
            days = "cron " + cron.cron();
        } else if (spec.days() instanceof ScheduleSpec.DayRule.BusinessDays) {
            days = "business-days";
        } else if (spec.days() instanceof ScheduleSpec.DayRule.NthBusinessDay nth) {
            days = nth.n() == -1 ? "last-business-day" : "businessDay " + nth.n();
        } else if (spec.days() instanceof ScheduleSpec.DayRule.MonthDay monthDay) {
            days = "monthDay " + monthDay.day();
        } else if (spec.days() instanceof ScheduleSpec.DayRule.Weekdays weekdays) {
            days = "weekdays " + weekdays.days();
        } else {
            days = "every-day";
        }
        return days
                + (spec.at().isEmpty()
                        ? ""
                        : " at "
                                + String.join(
                                        ", ",
                                        spec.at().stream().map(Object::toString).toList()))
                + (spec.calendar().file().isEmpty()
                        ? ""
                        : " on calendar " + spec.calendar().name())
                + (spec.ifClosed() == ScheduleSpec.IfClosed.SKIP
                        ? ""
                        : ", if closed: " + spec.ifClosed().name().toLowerCase(java.util.Locale.ROOT));
    }
}
