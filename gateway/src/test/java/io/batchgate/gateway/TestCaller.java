package io.batchgate.gateway;

/** API callers with narrow scopes, configured in every shared-context test (see GatewayIntegrationTests). */
public enum TestCaller {
    READER("reader", "read:*"),
    NIGHTLY("nightly-ops", "trigger:nightly-*,cancel:nightly-*"),
    HELLO("hello-only", "trigger:hello"),
    CANCELLER("canceller", "cancel:*"),
    METRICS("metrics", "metrics"),
    LIMITED("limited", "trigger:*"),
    JOBCTL("jobctl-ops", "trigger:*,cancel:*");

    private final String name;
    private final String scopes;

    TestCaller(String name, String scopes) {
        this.name = name;
        this.scopes = scopes;
    }

    public String callerName() {
        return name;
    }

    public String token() {
        return name + "-token-0123456789";
    }

    public String scopes() {
        return scopes;
    }
}
