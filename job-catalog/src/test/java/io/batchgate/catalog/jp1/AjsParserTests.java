package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class AjsParserTests {

    @Test
    void readsNestedUnitsWithTheirAttributesParamsAndPaths() {
        List<Unit> units = AjsParser.parse("a.ajsprint", """
                /* printed by ajsprint -a */
                unit=GROUP,0755,jp1admin,ops;
                {
                	ty=g;
                	unit=NET,,jp1user,;
                	{
                		ty=n;
                		/* a comment between parameters */
                		ar=(f=A,t=B,seq);
                		unit=A,,,;{ty=j;te="echo a";}
                		unit=B,,,;
                		{
                			ty=rj;
                			env="X=1";
                			env="Y=2";
                		}
                	}
                }
                """);

        assertThat(units).hasSize(1);
        Unit group = units.get(0);
        assertThat(group.name()).isEqualTo("GROUP");
        assertThat(group.permission()).isEqualTo("0755");
        assertThat(group.owner()).isEqualTo("jp1admin");
        assertThat(group.resourceGroup()).isEqualTo("ops");
        assertThat(group.type()).isEqualTo(UnitType.GROUP);
        assertThat(group.line()).isEqualTo(2);
        Unit net = group.children().get(0);
        assertThat(net.path()).isEqualTo("/GROUP/NET");
        assertThat(net.param("ar").orElseThrow().raw()).isEqualTo("(f=A,t=B,seq)");
        assertThat(net.children())
                .extracting(Unit::path, Unit::type, Unit::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/GROUP/NET/A", UnitType.UNIX_JOB, 10),
                        org.assertj.core.groups.Tuple.tuple("/GROUP/NET/B", UnitType.RECOVERY_UNIX_JOB, 11));
        assertThat(net.children().get(1).all("env")).extracting(UnitParam::text).containsExactly("X=1", "Y=2");
    }

    @Test
    void resolvesTheHashEscapesOfQuotedValues() {
        Unit unit = AjsParser.parse("a.ajsprint", "unit=J,,,;{ty=j;te=\"echo #\"a;b#\" ## c\";}")
                .get(0);

        UnitParam te = unit.param("te").orElseThrow();
        assertThat(te.raw()).isEqualTo("\"echo #\"a;b#\" ## c\"");
        assertThat(te.text()).isEqualTo("echo \"a;b\" # c");
        assertThat(te.column()).isEqualTo(17);
        assertThat(te.valueColumn()).isEqualTo(20);
    }

    @Test
    void countsLinesOfCrLfFilesAndColumnsInCharacters() {
        InputException e = catchThrowableOfType(
                InputException.class,
                () -> AjsParser.parse("crlf.ajsprint", "unit=N,,,;\r\n{\r\n\tty=n;\r\n\tte=\"日本語;\r\n}\r\n"));

        assertThat(e.errors())
                .extracting(Object::toString)
                .containsExactly("crlf.ajsprint:4:5: unterminated string in te= (no closing '\"')");
    }

    @Test
    void readsSeveralTopLevelUnitsAndAByteOrderMark() {
        List<Unit> units = AjsParser.parse("a.ajsprint", "\uFEFFunit=A,,,;{ty=n;}\nunit=B,,,;{ty=n;}\n");

        assertThat(units).extracting(Unit::path).containsExactly("/A", "/B");
    }

    /** Every prefix of the sample (a file cut short in transfer) parses or fails with located errors, never worse. */
    @Test
    void aTruncatedFileIsAnInputErrorNeverACrash() throws java.io.IOException {
        String text = java.nio.file.Files.readString(Jp1Run.CORPUS.resolve("sample-night.ajsprint"));
        int refused = 0;
        for (int end = 0; end < text.length(); end++) {
            try {
                new Jp1Importer(Options.defaults()).map(AjsParser.parse("cut.ajsprint", text.substring(0, end)));
            } catch (InputException e) {
                refused++;
                assertThat(e.errors()).isNotEmpty().allSatisfy(error -> {
                    assertThat(error.file()).isEqualTo("cut.ajsprint");
                    assertThat(error.line()).isPositive();
                    assertThat(error.column()).isPositive();
                });
            }
        }
        assertThat(refused).isGreaterThan(text.length() / 2);
    }
}
