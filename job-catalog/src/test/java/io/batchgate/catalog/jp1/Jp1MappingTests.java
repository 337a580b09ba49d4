package io.batchgate.catalog.jp1;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchgate.catalog.jp1.ImportReport.Finding;
import io.batchgate.catalog.jp1.ImportedCatalog.DayRule;
import io.batchgate.catalog.jp1.ImportedCatalog.Edge;
import io.batchgate.catalog.jp1.ImportedCatalog.ExitCodes;
import io.batchgate.catalog.jp1.ImportedCatalog.Job;
import io.batchgate.catalog.jp1.ImportedCatalog.Net;
import io.batchgate.catalog.jp1.ImportedCatalog.When;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What single units and fields become; the golden tests show whole files. */
class Jp1MappingTests {

    private static Jp1Importer.Result map(String body) {
        return new Jp1Importer(Options.defaults()).map(AjsParser.parse("t.ajsprint", body));
    }

    private static Job job(Jp1Importer.Result result, String name) {
        return result.catalog().jobs().stream()
                .filter(j -> j.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Net net(Jp1Importer.Result result, String name) {
        return result.catalog().nets().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static String inNet(String units, String arrows) {
        return "unit=N,,,;{ty=n;sd=1,en;cy=1,(1,d);" + arrows + units + "}";
    }

    @Test
    void aReturnCodeGreaterThanTheWarningThresholdIsAWarningAndGreaterThanTheAbnormalOneAFailure() {
        Jp1Importer.Result result = map(inNet("unit=J,,,;{ty=j;te=\"x\";wth=4;tho=8;}", ""));

        assertThat(job(result, "n-j").exitCodes()).contains(new ExitCodes(range(0, 4), range(5, 8)));
    }

    @Test
    void withoutThresholdsOnlyZeroIsNormalAndWithoutWthThereIsNoWarning() {
        Jp1Importer.Result result = map(inNet(
                "unit=D,,,;{ty=j;te=\"x\";}unit=T,,,;{ty=j;te=\"x\";tho=2;}unit=NM,,,;{ty=j;te=\"x\";jd=nm;}", ""));

        assertThat(job(result, "n-d").exitCodes()).isEmpty();
        assertThat(job(result, "n-t").exitCodes()).contains(new ExitCodes(range(0, 2), List.of()));
        assertThat(job(result, "n-nm").exitCodes()).contains(new ExitCodes(range(0, 255), List.of()));
    }

    /** JP1 ignores thresholds without jd=cod; the report still names them, as it names every field. */
    @Test
    void thresholdsBesideAnotherJudgmentAreReportedAsIgnoredNotDropped() {
        Jp1Importer.Result result = map(inNet("unit=NM,,,;{ty=j;te=\"x\";jd=nm;wth=4;tho=8;}", ""));

        assertThat(job(result, "n-nm").exitCodes()).contains(new ExitCodes(range(0, 255), List.of()));
        assertThat(result.report().findings())
                .filteredOn(f -> f.path().equals("/N/NM"))
                .extracting(Finding::toString, Finding::severity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "t.ajsprint:1: /N/NM: tho: JP1 reads the thresholds only with jd=cod; with jd=nm it"
                                        + " ignores them too",
                                ImportReport.Severity.IGNORED),
                        org.assertj.core.groups.Tuple.tuple(
                                "t.ajsprint:1: /N/NM: wth: JP1 reads the thresholds only with jd=cod; with jd=nm it"
                                        + " ignores them too",
                                ImportReport.Severity.IGNORED));
        assertThat(result.report().incomplete()).isFalse();
    }

    @Test
    void automaticRetryBecomesARetryRuleOnTheRetriedCodes() {
        Jp1Importer.Result result =
                map(inNet("unit=J,,,;{ty=j;te=\"x\";tho=10;abr=y;rjs=20;rje=300;rec=3;rei=7;etm=45;}", ""));

        Job job = job(result, "n-j");
        assertThat(job.retry()).contains(new ImportedCatalog.Retry(3, 7, 20, 255));
        assertThat(job.runTimeoutMinutes()).contains(45);
        assertThat(result.report().findings())
                .extracting(Finding::toString)
                .contains("t.ajsprint:1: /N/J: abr: retried after a random wait of up to 7m (batchgate's backoff has"
                        + " full jitter); JP1 waits exactly 7m");
    }

    @Test
    void retriedCodesNoProcessCanExitWithAreReportedNotRetried() {
        Jp1Importer.Result result =
                map(inNet("unit=A,,,;{ty=j;te=\"x\";abr=y;rje=0;}unit=B,,,;{ty=j;te=\"x\";abr=y;rjs=256;}", ""));

        assertThat(job(result, "n-a").retry()).isEmpty();
        assertThat(job(result, "n-b").retry()).isEmpty();
        assertThat(result.report().findings())
                .extracting(Finding::toString)
                .contains(
                        "t.ajsprint:1: /N/A: rje: no code from rjs=1 to rje=0 (rjs is above rje): no retry",
                        "t.ajsprint:1: /N/B: rjs: no code from rjs=256 to rje=4294967295 is 255 or below, the codes"
                                + " a process exits with: no retry");
    }

    @Test
    void recoveryUnitsWaitForAFailureAndSeveralArrowsMakeAJoin() {
        Jp1Importer.Result result = map(inNet(
                "unit=A,,,;{ty=j;te=\"a\";}unit=B,,,;{ty=j;te=\"b\";}unit=C,,,;{ty=j;te=\"c\";}"
                        + "unit=R,,,;{ty=rj;te=\"r\";}",
                "ar=(f=A,t=C);ar=(f=B,t=C);ar=(f=C,t=R);"));

        Net net = net(result, "n");
        assertThat(net.members())
                .extracting(ImportedCatalog.Member::name, ImportedCatalog.Member::after)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", List.of()),
                        org.assertj.core.groups.Tuple.tuple("b", List.of()),
                        org.assertj.core.groups.Tuple.tuple(
                                "c", List.of(new Edge("a", When.SUCCESS), new Edge("b", When.SUCCESS))),
                        org.assertj.core.groups.Tuple.tuple("r", List.of(new Edge("c", When.FAILURE))));
    }

    @Test
    void aJudgmentThatPicksTheWarningCodesIsAWarningEdge() {
        Jp1Importer.Result result = map(inNet(
                "unit=A,,,;{ty=j;te=\"a\";wth=1;tho=5;}unit=J,,,;{ty=jdj;ej=gt;ejc=1;}unit=W,,,;{ty=j;te=\"w\";}",
                "ar=(f=A,t=J);ar=(f=J,t=W,con);"));

        assertThat(net(result, "n").members().get(1).after()).containsExactly(new Edge("a", When.WARNING));
    }

    @Test
    void aJudgmentThatPicksSomeNormalCodesLeavesTheNetUnwrittenAndSaysWhy() {
        Jp1Importer.Result result = map(inNet(
                "unit=A,,,;{ty=j;te=\"a\";wth=1;tho=5;}unit=J,,,;{ty=jdj;ej=gt;ejc=3;}unit=W,,,;{ty=j;te=\"w\";}",
                "ar=(f=A,t=J);ar=(f=J,t=W,con);"));

        assertThat(result.catalog().nets()).isEmpty();
        assertThat(result.catalog().jobs()).extracting(Job::name).containsExactly("n-a", "n-w");
        assertThat(result.report().findings())
                .extracting(Finding::toString)
                .contains("t.ajsprint:1: /N: ar: judgment job J (ej=gt, ejc=3) picks codes 4-5 of A's normal codes"
                        + " 0-5; batchgate's edges follow a normal end, a warning or a failure only");
        assertThat(result.report().incomplete()).isTrue();
    }

    @Test
    void anOrJobWithOnePredecessorIsAPlainEdgeAndWithTwoItIsReported() {
        Jp1Importer.Result one = map(inNet(
                "unit=A,,,;{ty=j;te=\"a\";}unit=O,,,;{ty=orj;}unit=B,,,;{ty=j;te=\"b\";}",
                "ar=(f=A,t=O);ar=(f=O,t=B);"));
        Jp1Importer.Result two = map(inNet(
                "unit=A,,,;{ty=j;te=\"a\";}unit=C,,,;{ty=j;te=\"c\";}unit=O,,,;{ty=orj;}unit=B,,,;{ty=j;te=\"b\";}",
                "ar=(f=A,t=O);ar=(f=C,t=O);ar=(f=O,t=B);"));

        assertThat(net(one, "n").members().get(1).after()).containsExactly(new Edge("a", When.SUCCESS));
        assertThat(two.catalog().nets()).isEmpty();
        assertThat(two.report().findings())
                .extracting(Finding::why)
                .contains("OR job O waits for any of 2 units; batchgate's joins wait for all");
    }

    @Test
    void schedulesFollowTheNearestCalendarAndShiftClosedDays() {
        Jp1Importer.Result result = map("unit=G,,,;{ty=g;cl=sa;cl=su;cl=2026/01/01;op=2026/01/03;"
                + "unit=N,,,;{ty=n;sd=1,2026/01/05;st=1,25:30;cy=1,(1,d);sh=1,ca;ed=2026/12/31;"
                + "unit=J,,,;{ty=j;te=\"x\";}}"
                + "unit=M,,,;{ty=n;sd=1,*b-1;st=1,22:00;unit=J,,,;{ty=j;te=\"x\";}}"
                + "unit=W,,,;{ty=n;sd=1,mo;st=1,06:00;sd=2,th;st=2,06:00;unit=J,,,;{ty=j;te=\"x\";}}}");

        ImportedCatalog.Schedule daily = net(result, "g-n").schedule().orElseThrow();
        assertThat(daily.days()).isEqualTo(new DayRule.EveryDay());
        assertThat(daily.at()).containsExactly("25:30");
        assertThat(daily.calendar()).contains("g");
        assertThat(daily.ifClosed()).contains("skip");
        assertThat(daily.until()).contains(java.time.LocalDate.of(2026, 12, 31));
        assertThat(net(result, "g-m").schedule().orElseThrow().days()).isEqualTo(new DayRule.NthBusinessDay(-2));
        ImportedCatalog.Schedule weekly = net(result, "g-w").schedule().orElseThrow();
        assertThat(weekly.days()).isEqualTo(new DayRule.Weekdays(List.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY)));
        assertThat(weekly.calendar()).isEmpty();
        ImportedCatalog.Calendar calendar = result.catalog().calendars().get(0);
        assertThat(calendar.weeklyClosed()).containsExactly(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(calendar.years().get(2026).closed()).containsExactly(java.time.LocalDate.of(2026, 1, 1));
        assertThat(calendar.years().get(2026).open()).containsExactly(java.time.LocalDate.of(2026, 1, 3));
    }

    @Test
    void namesAreLowerCasedMadeUniqueAndJapaneseNamesGetADigest() {
        Jp1Importer.Result result = map("unit=G,,,;{ty=g;unit=NET_1,,,;{ty=n;sd=1,en;cy=1,(1,d);"
                + "unit=A-B,,,;{ty=j;te=\"x\";}unit=A_B,,,;{ty=j;te=\"x\";}unit=集計,,,;{ty=j;te=\"x\";}}}");

        assertThat(result.catalog().jobs())
                .extracting(Job::name)
                .containsExactly("g-net-1-a-b", "g-net-1-a-b-2", "g-net-1-u-34af9cc6");
        assertThat(job(result, "g-net-1-u-34af9cc6").env())
                .containsEntry("AJSJOBNAME", "/G/NET_1/集計")
                .containsEntry("AJSNETNAME", "/G/NET_1");
        assertThat(net(result, "g-net-1").schedule().map(ImportedCatalog.Schedule::days))
                .isEqualTo(Optional.of(new DayRule.EveryDay()));
    }

    /** Any field of the corpus given an odd value is an input error or a finding, never an exception. */
    @Test
    void oddValuesOfEveryFieldAreErrorsOrFindingsNeverACrash() throws java.io.IOException {
        List<String> odd = List.of("", "x", "-1", "99999999999", "1,(0,d)", "b-", "(");
        int tried = 0;
        for (String sample : List.of("sample-night", "jobs", "flow", "schedules")) {
            String text = java.nio.file.Files.readString(Jp1Run.CORPUS.resolve(sample + ".ajsprint"));
            java.util.regex.Matcher field = java.util.regex.Pattern.compile("(?m)^\\t+([a-z0-9]+)=([^;\\n]*);")
                    .matcher(text);
            while (field.find()) {
                if (field.group(1).equals("ty")) {
                    continue;
                }
                for (String value : odd) {
                    String changed = text.substring(0, field.start(2)) + value + text.substring(field.end(2));
                    try {
                        map(changed);
                    } catch (InputException e) {
                        assertThat(e.errors()).isNotEmpty();
                    }
                    tried++;
                }
            }
        }
        assertThat(tried).isGreaterThan(500);
    }
}
