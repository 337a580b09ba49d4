package io.batchgate.gateway.web;

import io.batchgate.gateway.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A read endpoint's query parameters, each given at most once and each one it knows: a repeated or
 * misspelt control parameter is refused with 400 rather than half-used or ignored.
 */
public final class QueryParameters {

    private QueryParameters() {}

    public static Map<String, String> of(HttpServletRequest request, Set<String> allowed) {
        Map<String, String> single = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (!allowed.contains(name)) {
                throw malformed("Unknown query parameter '" + printable(name) + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
            if (parameter.getValue().length > 1) {
                throw malformed("'" + name + "' is given more than once");
            }
            single.put(name, parameter.getValue()[0]);
        }
        return single;
    }

    private static ApiProblem malformed(String detail) {
        return ApiProblem.badRequest("malformed-request", "Malformed request", detail);
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
