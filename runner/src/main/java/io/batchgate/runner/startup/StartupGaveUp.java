package io.batchgate.runner.startup;

/** Start-up waited for something (database, queue) up to its limit, and it never answered. */
public class StartupGaveUp extends RuntimeException {

    public StartupGaveUp(String message, Throwable cause) {
        super(message, cause);
    }
}
