package io.batchgate.catalog;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job's secret comes from: a Secrets Manager secret ARN (optionally with ECS's
 * {@code :json-key:version-stage:version-id} suffix) or an SSM parameter ARN. batchgate only passes
 * the reference on (ECS's container {@code secrets}, or the local secrets file): it never reads the value.
 *
 * @param valueFrom the ARN, possibly with {@code ${PARAM}} placeholders of enum params
 */
public record SecretRef(String valueFrom) {

    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final Pattern SECRETS_MANAGER =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+"
                    + "(:[A-Za-z0-9_+=.@/-]*:[A-Za-z0-9_+=.@-]*:[A-Za-z0-9-]*)?");
    private static final Pattern SSM_PARAMETER =
            Pattern.compile("arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9/_.-]+");

    public SecretRef {
        Objects.requireNonNull(valueFrom, "valueFrom");
        if (valueFrom.isBlank()) {
            throw new IllegalArgumentException("valueFrom must not be blank");
        }
    }

    /** The names of the params the ARN depends on. */
    public Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(valueFrom);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The ARN for these param values; a missing value leaves its placeholder (then the ARN is invalid). */
    public String resolve(Map<String, String> values) {
        return PLACEHOLDER
                .matcher(valueFrom)
                .replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }

    /** Why {@code arn} is no reference ECS accepts in a container's {@code secrets}, if it is not. */
    static Optional<String> arnProblem(String arn) {
        if (SECRETS_MANAGER.matcher(arn).matches() || SSM_PARAMETER.matcher(arn).matches()) {
            return Optional.empty();
        }
        return Optional.of("must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:"
                + "<name>[:<json-key>:<version-stage>:<version-id>]) or an SSM parameter ARN"
                + " (arn:aws:ssm:<region>:<account>:parameter/<name>)");
    }
}
