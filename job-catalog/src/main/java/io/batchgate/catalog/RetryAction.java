package io.batchgate.catalog;

/** What a retry rule decides for a failed attempt. */
public enum RetryAction {
    RETRY,
    FAIL
}
