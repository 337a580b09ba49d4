package io.batchgate.gateway.nets;

/**
 * A net run as {@code text/plain} {@code NAME=value} lines, for scripts (jobctl) that have no JSON
 * parser: {@code netRunId}, {@code net}, {@code status}, {@code judgment}, {@code exitCode}, {@code
 * final}, {@code generation}, then one {@code member.<name>=<state> run=<id> exitCode=<code>} line
 * per member.
 */
final class NetRunText {

    private NetRunText() {}

    static String of(NetRunView run) {
        StringBuilder text = new StringBuilder();
        line(text, "netRunId", run.id());
        line(text, "net", run.net());
        line(text, "status", run.status());
        line(text, "judgment", run.judgment() == null ? "" : run.judgment());
        line(text, "exitCode", run.exitCode() == null ? "" : run.exitCode().toString());
        line(text, "final", Boolean.toString("ENDED".equals(run.status())));
        line(text, "generation", Integer.toString(run.generation()));
        line(text, "reason", run.reason() == null ? "" : run.reason());
        for (NetRunView.Member member : run.members()) {
            line(
                    text,
                    "member." + member.name(),
                    member.state()
                            + (member.runId() == null ? "" : " run=" + member.runId())
                            + (member.exitCode() == null ? "" : " exitCode=" + member.exitCode()));
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(name).append('=').append(value.replaceAll("[\\r\\n]+", " ")).append('\n');
    }
}
