package io.batchgate.gateway.web;

import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.run.RunId;
import org.springframework.http.HttpStatus;

/** A run id from a URL path: anything that is not one is a run that does not exist (404). */
public final class RunIdPath {

    private RunIdPath() {}

    public static RunId parse(String text) {
        RunId id = RunId.parseOrNull(text);
        if (id == null) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND, "run-not-found", "No such run", "'" + printable(text) + "' is not a run id.");
        }
        return id;
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
