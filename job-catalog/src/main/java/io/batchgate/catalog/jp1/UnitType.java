package io.batchgate.catalog.jp1;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code ty=} unit types of JP1/AJS3 (Command Reference, "Attribute definition"). Types the importer turns into
 * catalog entries have their own kind; the others are known (so they are reported as not mapped rather than refused as
 * unknown) but have no batchgate equivalent.
 */
public enum UnitType {
    GROUP("g", Kind.GROUP, false),
    MANAGER_GROUP("mg", Kind.UNSUPPORTED, false),
    NET("n", Kind.NET, false),
    RECOVERY_NET("rn", Kind.NET, true),
    REMOTE_NET("rm", Kind.UNSUPPORTED, false),
    REMOTE_RECOVERY_NET("rr", Kind.UNSUPPORTED, true),
    MANAGER_NET("mn", Kind.UNSUPPORTED, false),
    UNIX_JOB("j", Kind.JOB, false),
    RECOVERY_UNIX_JOB("rj", Kind.JOB, true),
    PC_JOB("pj", Kind.JOB, false),
    RECOVERY_PC_JOB("rp", Kind.JOB, true),
    /** Not in the manual's list ({@code rp} is); accepted because estates' tooling writes it. */
    RECOVERY_PC_JOB_ALIAS("rpj", Kind.JOB, true),
    JUDGMENT("jdj", Kind.JUDGMENT, false),
    RECOVERY_JUDGMENT("rjdj", Kind.JUDGMENT, true),
    OR_JOB("orj", Kind.OR, false),
    RECOVERY_OR_JOB("rorj", Kind.OR, true),
    QUEUE_JOB("qj", Kind.UNSUPPORTED, false),
    RECOVERY_QUEUE_JOB("rq", Kind.UNSUPPORTED, true),
    EVENT_RECEIVE("evwj", Kind.UNSUPPORTED, false),
    RECOVERY_EVENT_RECEIVE("revwj", Kind.UNSUPPORTED, true),
    FILE_MONITOR("flwj", Kind.UNSUPPORTED, false),
    RECOVERY_FILE_MONITOR("rflwj", Kind.UNSUPPORTED, true),
    MAIL_RECEIVE("mlwj", Kind.UNSUPPORTED, false),
    RECOVERY_MAIL_RECEIVE("rmlwj", Kind.UNSUPPORTED, true),
    MQ_RECEIVE("mqwj", Kind.UNSUPPORTED, false),
    RECOVERY_MQ_RECEIVE("rmqwj", Kind.UNSUPPORTED, true),
    MSMQ_RECEIVE("mswj", Kind.UNSUPPORTED, false),
    RECOVERY_MSMQ_RECEIVE("rmswj", Kind.UNSUPPORTED, true),
    LOG_MONITOR("lfwj", Kind.UNSUPPORTED, false),
    RECOVERY_LOG_MONITOR("rlfwj", Kind.UNSUPPORTED, true),
    WINDOWS_EVENT_MONITOR("ntwj", Kind.UNSUPPORTED, false),
    RECOVERY_WINDOWS_EVENT_MONITOR("rntwj", Kind.UNSUPPORTED, true),
    INTERVAL_CONTROL("tmwj", Kind.UNSUPPORTED, false),
    RECOVERY_INTERVAL_CONTROL("rtmwj", Kind.UNSUPPORTED, true),
    EVENT_SEND("evsj", Kind.UNSUPPORTED, false),
    RECOVERY_EVENT_SEND("revsj", Kind.UNSUPPORTED, true),
    MAIL_SEND("mlsj", Kind.UNSUPPORTED, false),
    RECOVERY_MAIL_SEND("rmlsj", Kind.UNSUPPORTED, true),
    MQ_SEND("mqsj", Kind.UNSUPPORTED, false),
    RECOVERY_MQ_SEND("rmqsj", Kind.UNSUPPORTED, true),
    MSMQ_SEND("mssj", Kind.UNSUPPORTED, false),
    RECOVERY_MSMQ_SEND("rmssj", Kind.UNSUPPORTED, true),
    OPENVIEW_STATUS("cmsj", Kind.UNSUPPORTED, false),
    RECOVERY_OPENVIEW_STATUS("rcmsj", Kind.UNSUPPORTED, true),
    LOCAL_POWER("pwlj", Kind.UNSUPPORTED, false),
    RECOVERY_LOCAL_POWER("rpwlj", Kind.UNSUPPORTED, true),
    REMOTE_POWER("pwrj", Kind.UNSUPPORTED, false),
    RECOVERY_REMOTE_POWER("rpwrj", Kind.UNSUPPORTED, true),
    CUSTOM_UNIX_JOB("cj", Kind.UNSUPPORTED, false),
    RECOVERY_CUSTOM_UNIX_JOB("rcj", Kind.UNSUPPORTED, true),
    CUSTOM_PC_JOB("cpj", Kind.UNSUPPORTED, false),
    RECOVERY_CUSTOM_PC_JOB("rcpj", Kind.UNSUPPORTED, true),
    FLEXIBLE_JOB("fxj", Kind.UNSUPPORTED, false),
    RECOVERY_FLEXIBLE_JOB("rfxj", Kind.UNSUPPORTED, true),
    HTTP_JOB("htpj", Kind.UNSUPPORTED, false),
    RECOVERY_HTTP_JOB("rhtpj", Kind.UNSUPPORTED, true),
    NET_CONNECTOR("nc", Kind.UNSUPPORTED, false),
    START_CONDITION("cond", Kind.UNSUPPORTED, false);

    /** What the importer makes of a unit of this type. */
    public enum Kind {
        GROUP,
        NET,
        JOB,
        JUDGMENT,
        OR,
        UNSUPPORTED
    }

    private static final Map<String, UnitType> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(t -> t.code, Function.identity()));

    private final String code;
    private final Kind kind;
    private final boolean recovery;

    UnitType(String code, Kind kind, boolean recovery) {
        this.code = code;
        this.kind = kind;
        this.recovery = recovery;
    }

    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** A recovery unit ({@code r*}): runs only when its preceding unit ended abnormally. */
    public boolean recovery() {
        return recovery;
    }

    public static Optional<UnitType> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
