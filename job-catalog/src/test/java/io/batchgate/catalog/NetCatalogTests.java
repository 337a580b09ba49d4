package io.batchgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job nets in the catalog: what loads, and every way a net is refused with its file:line. */
class NetCatalogTests {

    @TempDir
    Path dir;

    /** Lines 1-7. */
    private static final String JOBS = """
            jobs:
              step:
                local: { command: [x] }
                params:
                  CODE: { type: int, min: 0, max: 255, default: 0 }
                  DAY: { type: date }
              other: { local: { command: [y] } }
            """;

    @Test
    void loadsMembersEdgesParamsAndOverlap() {
        Catalog catalog = new CatalogLoader().load(CatalogFiles.write(dir, Map.of("jobs.yaml", JOBS, "net.yaml", """
                        nets:
                          nightly:
                            description: The nightly close.
                            params:
                              NOMINAL_DATE: { type: date, required: true }
                            concurrency: { overlap: forbid }
                            members:
                              extract: { job: step, params: { DAY: "${NOMINAL_DATE}", CODE: 0 } }
                              check: { job: step, afterWarning: [extract] }
                              load: { job: step, after: [extract] }
                              recover: { job: other, afterFailure: [load] }
                              report: { job: other, after: [load, check] }
                          outer:
                            members:
                              inner: { net: nightly }
                        """)));

        NetDefinition net = catalog.net("nightly").orElseThrow();
        assertThat(net.overlap()).isEqualTo(Overlap.FORBID);
        assertThat(net.members()).containsOnlyKeys("extract", "check", "load", "recover", "report");
        assertThat(net.member("extract").isStart()).isTrue();
        assertThat(net.member("report").after())
                .containsExactly(new NetEdge("load", NetCondition.SUCCESS), new NetEdge("check", NetCondition.SUCCESS));
        assertThat(net.member("recover").after()).containsExactly(new NetEdge("load", NetCondition.FAILURE));
        assertThat(net.member("check").after()).containsExactly(new NetEdge("extract", NetCondition.WARNING));
        assertThat(net.member("extract")
                        .resolve(net.bind(Map.of("NOMINAL_DATE", "2026/12/03")).values()))
                .containsEntry("DAY", "2026-12-03")
                .containsEntry("CODE", "0");
        assertThat(net.member("extract").line()).isEqualTo(8);
        assertThat(catalog.net("outer").orElseThrow().member("inner").kind()).isEqualTo(NetMember.Kind.NET);
        assertThat(catalog.jobs()).containsOnlyKeys("step", "other");
    }

    @Test
    void refusesEdgesToNowhereUnknownTargetsAndUndeclaredReferences() {
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("jobs.yaml", JOBS, "net.yaml", """
                        nets:
                          n:
                            members:
                              a: { job: step, params: { DAY: "${WHEN}" } }
                              b: { job: missing }
                              c: { job: step, after: [a, nowhere] }
                              d: { net: no-such-net }
                              e: { job: step, params: { COLOUR: red } }
                              f: { job: step, net: n }
                        """))))
                .containsExactlyInAnyOrder(
                        "net.yaml:4: nets.n.members.a.params.DAY: references ${WHEN}, which is not a parameter of"
                                + " the net",
                        "net.yaml:9: nets.n.members.f: must name exactly one of job, net");
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("net.yaml", """
                        nets:
                          n:
                            members:
                              a: { job: step }
                              c: { job: step, after: [a, nowhere] }
                        """))))
                .containsExactly("net.yaml:5: nets.n.members.c.after: edge from 'nowhere', which is not a member of"
                        + " the net (members: a, c)");
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("net.yaml", """
                        nets:
                          n:
                            members:
                              a: { job: step }
                              b: { job: missing }
                              d: { net: no-such-net }
                              e: { job: step, params: { COLOUR: red } }
                        """))))
                .containsExactly(
                        "net.yaml:5: nets.n.members.b.job: no job 'missing' in the catalog",
                        "net.yaml:6: nets.n.members.d.net: no net 'no-such-net' in the catalog",
                        "net.yaml:7: nets.n.members.e.params.COLOUR: job step has no parameter COLOUR");
    }

    @Test
    void refusesCyclesAndTheMembersTheyMakeUnreachable() {
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("jobs.yaml", JOBS, "net.yaml", """
                        nets:
                          n:
                            members:
                              start: { job: step }
                              a: { job: step, after: [start, c] }
                              b: { job: step, after: [a] }
                              c: { job: step, afterFailure: [b] }
                              d: { job: other, after: [c] }
                              self: { job: other, after: [self] }
                        """))))
                .containsExactly("net.yaml:9: nets.n.members.self.after: a member cannot wait for itself");
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("net.yaml", """
                        nets:
                          n:
                            members:
                              start: { job: step }
                              a: { job: step, after: [start, c] }
                              b: { job: step, after: [a] }
                              c: { job: step, afterFailure: [b] }
                              d: { job: other, after: [c] }
                        """))))
                .containsExactly(
                        "net.yaml:5: nets.n.members.a: edges form a cycle through a -> c -> b -> a",
                        "net.yaml:6: nets.n.members.b: edges form a cycle through b -> a -> c -> b",
                        "net.yaml:7: nets.n.members.c: edges form a cycle through c -> b -> a -> c",
                        "net.yaml:8: nets.n.members.d: unreachable: it waits for members on a cycle");
    }

    @Test
    void refusesAMemberThatWaitsForOnePredecessorToFailAndToSucceed() {
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("jobs.yaml", JOBS, "net.yaml", """
                        nets:
                          n:
                            members:
                              a: { job: step }
                              b: { job: step, after: [a], afterFailure: [a] }
                        """))))
                .containsExactly("net.yaml:5: nets.n.members.b: waits for 'a' to fail and to end normally: it can"
                        + " never start");
    }

    @Test
    void refusesNetsThatContainThemselves() {
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("jobs.yaml", JOBS, "net.yaml", """
                        nets:
                          outer:
                            members:
                              inner: { net: middle }
                          middle:
                            members:
                              back: { net: outer }
                        """))))
                .containsExactly(
                        "net.yaml:4: nets.outer.members.inner.net: net middle contains net outer: nets cannot nest"
                                + " in a cycle",
                        "net.yaml:7: nets.middle.members.back.net: net outer contains net middle: nets cannot nest"
                                + " in a cycle");
    }

    /**
     * A net run keeps its params and its members' values in clear ({@code bg_net_run}, the net-run
     * API): no secret may enter one, neither as a net param nor forwarded into a job's secret param.
     */
    @Test
    void refusesSecretsThatWouldTravelThroughANet() {
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("jobs.yaml", """
                        jobs:
                          login:
                            local: { command: [x] }
                            params:
                              USER: { type: string }
                              PASSWORD: { type: string, secret: true }
                        """, "net.yaml", """
                        nets:
                          n:
                            params:
                              PASS: { type: string, secret: true }
                            members:
                              a: { job: login }
                        """))))
                .containsExactlyInAnyOrder(
                        "net.yaml:3: nets.n.params: param PASS: a net's params cannot be secret (members'"
                                + " secrets come from their job's secrets:)");
        assertThat(CatalogFiles.problems(CatalogFiles.write(dir, Map.of("net.yaml", """
                        nets:
                          n:
                            params:
                              WHO: { type: string }
                            members:
                              a: { job: login, params: { USER: "${WHO}", PASSWORD: "${WHO}" } }
                              b: { job: login, params: { PASSWORD: hunter2 } }
                        """))))
                .containsExactly(
                        "net.yaml:6: nets.n.members.a.params.PASSWORD: parameter PASSWORD of job login is"
                                + " secret: a net cannot set it (net runs keep their members' values in clear);"
                                + " give the job a secrets: reference instead",
                        "net.yaml:7: nets.n.members.b.params.PASSWORD: parameter PASSWORD of job login is"
                                + " secret: a net cannot set it (net runs keep their members' values in clear);"
                                + " give the job a secrets: reference instead");
    }

    @Test
    void aFileMayHoldOnlyNets() {
        Catalog catalog = new CatalogLoader()
                .load(CatalogFiles.write(
                        dir,
                        Map.of(
                                "a.yaml",
                                JOBS,
                                "b.yaml",
                                "nets:\n  n:\n    members:\n" + "      only: { job: other }\n")));

        assertThat(catalog.nets()).containsOnlyKeys("n");
    }
}
