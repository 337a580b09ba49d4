package io.batchgate.runner.run;

/** A state change the run's lifecycle does not allow; names where the run stands. */
public class IllegalRunTransitionException extends RuntimeException {

    private final RunId runId;
    private final RunStatus current;

    IllegalRunTransitionException(RunId runId, RunStatus current, RunStatus wanted) {
        super("run " + runId + " is " + current + " and cannot become " + wanted);
        this.runId = runId;
        this.current = current;
        this.wanted = wanted;
    }

    private final RunStatus wanted;

    public RunId runId() {
        return runId;
    }

    public RunStatus current() {
        return current;
    }

    public RunStatus wanted() {
        return wanted;
    }
}
