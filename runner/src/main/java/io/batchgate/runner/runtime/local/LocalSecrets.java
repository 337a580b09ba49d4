package io.batchgate.runner.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The values of a job's {@code secrets:} for the local runtime: from a YAML file mapping each
 * {@code valueFrom} ARN to its value, or else from batchgate's own environment variable of the same
 * name as the job's. The file must be readable by its owner only (a secrets file others can read is
 * refused, not used). It is read at each launch, so an edit needs no restart; values go only into the
 * child process's environment and no message ever contains one.
 */
final class LocalSecrets {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final @Nullable Path file;
    private final Function<String, @Nullable String> processEnvironment;

    LocalSecrets(@Nullable Path file, Function<String, @Nullable String> processEnvironment) {
        this.file = file;
        this.processEnvironment = processEnvironment;
    }

    /** Why the configured file cannot be used, if it cannot: checked at start-up and at each launch. */
    Optional<String> fileProblem() {
        if (file == null) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("the secrets file " + file + " (batchgate.runtime.local.secrets-file) does not exist");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> shared = EnumSet.copyOf(OTHERS);
            shared.retainAll(permissions);
            if (!shared.isEmpty()) {
                return Optional.of("the secrets file " + file + " has mode "
                        + PosixFilePermissions.toString(permissions)
                        + "; it must be readable by its owner only (chmod 600 " + file + ")");
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot check the permissions of the secrets file " + file + ": " + e);
        }
        return Optional.empty();
    }

    /** Env name to value for {@code secrets} (env name to resolved ARN); a problem names the ARN, never a value. */
    sealed interface Resolved {
        record Values(Map<String, String> env) implements Resolved {}

        record Problem(String message) implements Resolved {}
    }

    Resolved resolve(Map<String, String> secrets) {
        if (secrets.isEmpty()) {
            return new Resolved.Values(Map.of());
        }
        Optional<String> problem = fileProblem();
        if (problem.isPresent()) {
            return new Resolved.Problem(problem.get());
        }
        JsonNode values;
        try {
            values = file == null ? null : YAMLMapper.builder().build().readTree(file.toFile());
        } catch (JacksonException e) {
            // the parser's message may quote the file's content: say only where
            return new Resolved.Problem("the secrets file " + file + " is not a YAML mapping of ARN to value"
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            JsonNode value = values == null ? null : values.get(secret.getValue());
            String resolved = value != null && value.isValueNode() ? value.asString() : null;
            if (resolved == null) {
                resolved = processEnvironment.apply(secret.getKey());
            }
            if (resolved == null) {
                return new Resolved.Problem("no value for secret " + secret.getKey() + " (" + secret.getValue()
                        + "): add it to the secrets file"
                        + (file == null ? " (batchgate.runtime.local.secrets-file)" : " " + file)
                        + " or set " + secret.getKey() + " in batchgate's environment");
            }
            env.put(secret.getKey(), resolved);
        }
        return new Resolved.Values(env);
    }
}
