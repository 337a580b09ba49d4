package io.batchgate.runner.run;

/**
 * What a runtime needs to find a launched task again: the runtime's name and its own id
 * (a process id with its start time, or an ECS task ARN).
 */
public record TaskHandle(String runtime, String id) {

    public TaskHandle {
        if (runtime == null || runtime.isBlank() || id == null || id.isBlank()) {
            throw new IllegalArgumentException("a task handle needs a runtime and an id");
        }
    }

    @Override
    public String toString() {
        return runtime + ":" + id;
    }
}
