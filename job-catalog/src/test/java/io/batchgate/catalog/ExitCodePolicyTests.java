package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodePolicyTests {

    @ParameterizedTest
    @CsvSource({"0, SUCCESS", "1, FAILURE", "255, FAILURE", "-1, FAILURE", "137, FAILURE"})
    void defaultsJudgeOnlyZeroAsSuccess(int exitCode, ExitJudgment judgment) {
        assertThat(ExitCodePolicy.defaults().judge(exitCode)).isEqualTo(judgment);
    }

    @ParameterizedTest
    @CsvSource({"0, SUCCESS", "2, SUCCESS", "1, WARNING", "3, WARNING", "4, FAILURE", "143, FAILURE"})
    void judgesBySuccessAndWarningLists(int exitCode, ExitJudgment judgment) {
        ExitCodePolicy policy = new ExitCodePolicy(Set.of(0, 2), Set.of(1, 3));

        assertThat(policy.judge(exitCode)).isEqualTo(judgment);
    }

    @Test
    void defaultsAreSuccessZeroAndNoWarnings() {
        assertThat(ExitCodePolicy.defaults().success()).containsExactly(0);
        assertThat(ExitCodePolicy.defaults().warning()).isEmpty();
    }

    @Test
    void refusesInvalidPolicies() {
        assertThatThrownBy(() -> new ExitCodePolicy(Set.of(0, 1), Set.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exit code 1 is both success and warning");
        assertThatThrownBy(() -> new ExitCodePolicy(Set.of(256), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExitCodePolicy(Set.of(), Set.of(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsCodesSorted() {
        assertThat(new ExitCodePolicy(Set.of(9, 0, 4), Set.of(7, 1)).success()).containsExactly(0, 4, 9);
    }
}
