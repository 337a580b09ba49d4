package io.batchgate.runner.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputScrubberTests {

    @Test
    void everyOccurrenceIsMaskedAndOverlappingValuesLeaveNoTail() {
        OutputScrubber scrubber = OutputScrubber.of(List.of("abcd", "cdef", "hunter2"), 4);
        assertThat(scrubber.line("x abcdef y")).isEqualTo("x ****** y");
        assertThat(scrubber.line("hunter2 and hunter2!")).isEqualTo("****** and ******!");
        assertThat(scrubber.line("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void valuesShorterThanTheMinimumAreLeftAlone() {
        OutputScrubber scrubber = OutputScrubber.of(List.of("a", "xyz"), 4);
        assertThat(scrubber.isEmpty()).isTrue();
        assertThat(scrubber.line("a xyz")).isEqualTo("a xyz");
        assertThat(OutputScrubber.of(List.of("xyz"), 3).line("a xyz")).isEqualTo("a ******");
    }
}
