package io.batchgate.runner.runtime.ecs.sim;

/** An ECS error answer: {@code {"__type": type, "message": ...}} with the given HTTP status. */
final class SimException extends RuntimeException {

    private final String type;
    private final int httpStatus;

    SimException(String type, int httpStatus, String message) {
        super(message, null, false, false);
        this.type = type;
        this.httpStatus = httpStatus;
    }

    static SimException invalidParameter(String message) {
        return new SimException("InvalidParameterException", 400, message);
    }

    static SimException client(String message) {
        return new SimException("ClientException", 400, message);
    }

    String type() {
        return type;
    }

    int httpStatus() {
        return httpStatus;
    }
}
