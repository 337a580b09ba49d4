package io.batchgate.runner.net;

/** Another replica or thread changed the net run since it was loaded; the change was not stored. */
public class ConcurrentNetRunUpdateException extends RuntimeException {

    public ConcurrentNetRunUpdateException(NetRunId id, int expectedVersion) {
        super("net run " + id + " changed since version " + expectedVersion);
    }
}
