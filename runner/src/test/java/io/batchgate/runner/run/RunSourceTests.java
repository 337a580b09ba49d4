package io.batchgate.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunSourceTests {

    @Test
    void theFactoriesWriteTheDocumentedForms() {
        assertThat(RunSource.api().value()).isEqualTo("api");
        assertThat(RunSource.jobctl().value()).isEqualTo("jobctl");
        assertThat(RunSource.ui().value()).isEqualTo("ui");
        assertThat(RunSource.schedule("nightly-billing", Instant.parse("2026-12-03T02:00:00Z"))
                        .value())
                .isEqualTo("schedule:nightly-billing@2026-12-03T02:00:00Z");
        assertThat(RunSource.net("01a23bea-af89-7265-9b7f-a6c22d97a967", "extract")
                        .value())
                .isEqualTo("net:01a23bea-af89-7265-9b7f-a6c22d97a967/extract");
    }

    /** What the ledger reads back is what was written. */
    @Test
    void aStoredValueIsReadBackAsTheSameSource() {
        RunSource schedule = RunSource.schedule("nightly", Instant.parse("2026-12-03T02:00:00Z"));
        assertThat(new RunSource(schedule.value())).isEqualTo(schedule);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "API",
                "cron",
                "schedule:nightly",
                "schedule:nightly@tomorrow",
                "schedule:@2026-12-03T02:00:00Z",
                "net:abc/",
                "net:/member",
                "api "
            })
    void anythingElseIsRefused(String value) {
        assertThatThrownBy(() -> new RunSource(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a run source");
    }
}
