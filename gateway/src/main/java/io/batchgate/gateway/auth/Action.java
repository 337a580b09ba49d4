package io.batchgate.gateway.auth;

/** What a caller may do to a job's runs. */
public enum Action {
    TRIGGER("trigger"),
    READ("read"),
    CANCEL("cancel");

    private final String word;

    Action(String word) {
        this.word = word;
    }

    /** The word used in scopes ({@code trigger:nightly-*}) and in messages. */
    public String word() {
        return word;
    }
}
