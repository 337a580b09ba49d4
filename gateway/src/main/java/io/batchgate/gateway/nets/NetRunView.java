package io.batchgate.gateway.nets;

import io.batchgate.catalog.NetMember;
import io.batchgate.runner.ledger.RunLedger;
import io.batchgate.runner.net.MemberRun;
import io.batchgate.runner.net.NetRun;
import io.batchgate.runner.run.Run;
import io.batchgate.runner.run.RunId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A net run as the API shows it: status, judgment and exit code, each member with its run, and the timeline. */
record NetRunView(
        String id,
        String net,
        String status,
        @Nullable String judgment,
        @Nullable Integer exitCode,
        @Nullable String reason,
        Map<String, String> params,
        String requestedBy,
        String source,
        int generation,
        String catalogVersion,
        String createdAt,
        @Nullable String endedAt,
        @Nullable Map<String, Object> parent,
        List<Member> members,
        List<Map<String, String>> timeline) {

    /**
     * @param runId the member's run; for a nested net ({@code kind: net}) its net run
     * @param runStatus the status of that run as the ledger has it now
     */
    record Member(
            String name,
            String kind,
            String state,
            int generation,
            @Nullable String runId,
            @Nullable String runStatus,
            @Nullable Integer exitCode,
            @Nullable String reason,
            @Nullable String startedAt,
            @Nullable String endedAt) {}

    static NetRunView of(NetRun run, RunLedger ledger) {
        List<Member> members =
                run.members().stream().map(member -> member(member, ledger)).toList();
        Map<String, Object> parent = run.parent()
                .map(p -> {
                    Map<String, Object> shown = new LinkedHashMap<>();
                    shown.put("netRunId", p.id().value());
                    shown.put("member", p.member());
                    return shown;
                })
                .orElse(null);
        return new NetRunView(
                run.id().value(),
                run.net(),
                run.status().name(),
                run.judgment().map(Enum::name).orElse(null),
                run.exitCode().orElse(null),
                run.reason().orElse(null),
                run.params(),
                run.requestedBy(),
                run.source().value(),
                run.generation(),
                run.catalogVersion(),
                run.createdAt().toString(),
                run.endedAt().map(Object::toString).orElse(null),
                parent,
                members,
                run.timeline().stream()
                        .map(e -> Map.of("at", e.at().toString(), "text", e.text()))
                        .toList());
    }

    private static Member member(MemberRun member, RunLedger ledger) {
        String runStatus = null;
        if (member.runId() != null && member.kind() == NetMember.Kind.JOB) {
            runStatus = ledger.find(new RunId(member.runId()))
                    .map(Run::status)
                    .map(Enum::name)
                    .orElse(null);
        }
        return new Member(
                member.name(),
                member.kind().name().toLowerCase(java.util.Locale.ROOT),
                member.state().name(),
                member.generation(),
                member.runId(),
                runStatus,
                member.exitCode(),
                member.reason(),
                Optional.ofNullable(member.startedAt()).map(Object::toString).orElse(null),
                Optional.ofNullable(member.endedAt()).map(Object::toString).orElse(null));
    }
}
