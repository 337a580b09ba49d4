package io.batchgate.runner.runtime.ecs;

import io.batchgate.runner.runtime.StartResult;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.BlockedException;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.PlatformTaskDefinitionIncompatibilityException;
import software.amazon.awssdk.services.ecs.model.PlatformUnknownException;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * Sorts what RunTask can answer instead of a task into the two classes that matter: an
 * infrastructure refusal that may pass if tried later (capacity, throttling — also when ECS
 * disguises it as an InvalidParameterException —, service errors, the network), which does not
 * spend the job's attempts; and a configuration error (no such cluster or task definition, bad
 * parameter, no permission), which fails the run at once.
 */
final class EcsRefusals {

    private EcsRefusals() {}

    static boolean isThrottling(Throwable error) {
        if (error instanceof EcsException ecs) {
            String code =
                    ecs.awsErrorDetails() == null ? "" : ecs.awsErrorDetails().errorCode();
            if ("ThrottlingException".equals(code)
                    || "Throttling".equals(code)
                    || "RequestLimitExceeded".equals(code)) {
                return true;
            }
            if (error instanceof InvalidParameterException) {
                String message = String.valueOf(
                                ecs.awsErrorDetails() == null
                                        ? ecs.getMessage()
                                        : ecs.awsErrorDetails().errorMessage())
                        .toLowerCase(Locale.ROOT);
                return message.contains("rate exceeded") || message.contains("throttl");
            }
        }
        return false;
    }

    static StartResult.Refused of(Throwable error) {
        if (isThrottling(error)) {
            return new StartResult.Refused(
                    "ECS throttled RunTask: " + message(error), true, StartResult.Kind.THROTTLED);
        }
        if (error instanceof ClusterNotFoundException
                || error instanceof ClientException
                || error instanceof InvalidParameterException
                || error instanceof AccessDeniedException
                || error instanceof PlatformUnknownException
                || error instanceof PlatformTaskDefinitionIncompatibilityException
                || error instanceof UnsupportedFeatureException
                || error instanceof BlockedException
                || error instanceof ConflictException) {
            return new StartResult.Refused(
                    "ECS refused the task (configuration): " + error.getClass().getSimpleName() + ": " + message(error),
                    false);
        }
        if (error instanceof ServerException || error instanceof EcsException || error instanceof SdkClientException) {
            return new StartResult.Refused("ECS could not be reached or failed: " + message(error), true);
        }
        return new StartResult.Refused("unexpected error starting the task: " + error, true);
    }

    /** RunTask answered 200 with failures instead of a task. */
    static StartResult.Refused of(List<Failure> failures) {
        String reasons = failures.isEmpty()
                ? "no task and no failure"
                : String.join(
                        "; ",
                        failures.stream()
                                .map(f -> f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")"))
                                .toList());
        // ATTRIBUTE: no container instance can ever satisfy the placement constraints.
        boolean configuration =
                failures.stream().anyMatch(f -> f.reason() != null && f.reason().startsWith("ATTRIBUTE"));
        return new StartResult.Refused(
                "ECS could not place the task: " + reasons,
                !configuration,
                configuration ? StartResult.Kind.CONFIGURATION : StartResult.Kind.CAPACITY);
    }

    private static String message(Throwable error) {
        if (error instanceof EcsException ecs
                && ecs.awsErrorDetails() != null
                && ecs.awsErrorDetails().errorMessage() != null) {
            return ecs.awsErrorDetails().errorMessage();
        }
        return String.valueOf(error.getMessage());
    }
}
