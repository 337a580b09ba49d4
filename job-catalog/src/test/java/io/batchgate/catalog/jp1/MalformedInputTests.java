package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed file of the corpus and its exact errors: exit code 2, nothing written. */
class MalformedInputTests {

    @TempDir
    Path dir;

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(
                        "unclosed-brace.ajsprint", List.of(":2:1: '{' of unit /NET is never closed (missing '}')")),
                Arguments.of(
                        "unknown-type.ajsprint",
                        List.of(
                                ":6:6: unknown unit type 'xj' of unit /NET/JOB",
                                ":8:2: unit /NET/OTHER has no ty= (unit type)")),
                Arguments.of(
                        "bad-threshold.ajsprint",
                        List.of(
                                ":8:7: wth=four of unit /NET/JOB is not a warning threshold (an integer from 0 to"
                                        + " 2147483647)",
                                ":9:7: tho=-1 of unit /NET/JOB is not an abnormal threshold (an integer from 0 to"
                                        + " 2147483647)",
                                ":10:7: rec=13 of unit /NET/JOB is not a retry count (an integer from 1 to 12)")),
                Arguments.of(
                        "unterminated-string.ajsprint", List.of(":7:6: unterminated string in te= (no closing '\"')")),
                Arguments.of("missing-semicolon.ajsprint", List.of(":6:7: ty= is not ended by ';'")),
                Arguments.of("unclosed-comment.ajsprint", List.of(":1:1: comment is never closed (missing '*/')")),
                Arguments.of("stray-brace.ajsprint", List.of(":5:1: unexpected '}' (no unit is open)")),
                Arguments.of("no-unit.ajsprint", List.of(":1:1: expected unit=..., found 'ty=n;'")),
                Arguments.of(
                        "bad-values.ajsprint",
                        List.of(
                                ":4:5: sd=1,2026/02/30 of unit /NET is not a date yyyy/mm/dd",
                                ":5:5: sd=2,*32 of unit /NET is not a valid start day",
                                ":6:5: st=1,48:00 of unit /NET is not a start time [N,][+]hh:mm up to 47:59",
                                ":7:5: ar=(f=A,t=GHOST) of unit /NET names GHOST, which is not a unit of the jobnet",
                                ":8:5: ar=(from=A) of unit /NET is not (f=unit,t=unit[,seq|con])")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void reportsEveryErrorWithItsPlaceAndWritesNothing(String file, List<String> errors) throws IOException {
        String path = Jp1Run.corpus("malformed/" + file);

        Jp1Run run = Jp1Run.into(dir.resolve("out"), List.of(), path);

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        List<String> expected =
                new java.util.ArrayList<>(errors.stream().map(e -> path + e).toList());
        expected.add("jp1-import: nothing written (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                + " in the input)");
        assertThat(run.errLines()).containsExactlyElementsOf(expected);
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void collectsTheErrorsOfEveryFile(String file, List<String> errors) {
        String good = Jp1Run.corpus("sample-night.ajsprint");
        String bad = Jp1Run.corpus("malformed/" + file);

        Jp1Run run = Jp1Run.into(dir.resolve("out"), List.of(), good, bad);

        assertThat(run.exitCode()).isEqualTo(Jp1ImportCommand.UNREADABLE);
        assertThat(run.errLines()).hasSize(errors.size() + 1).allMatch(line -> !line.startsWith(good));
    }
}
