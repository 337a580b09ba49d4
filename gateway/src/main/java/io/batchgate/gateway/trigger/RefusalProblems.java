package io.batchgate.gateway.trigger;

import io.batchgate.catalog.ParamViolation;
import io.batchgate.gateway.problem.ApiProblem;
import io.batchgate.runner.admission.Refusal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Admission's refusals as the API's RFC 9457 problems: one status, type and title per reason. */
public final class RefusalProblems {

    private RefusalProblems() {}

    public static ApiProblem of(Refusal refusal) {
        if (refusal instanceof Refusal.UnknownJob unknown) {
            return new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "unknown-job",
                    "Unknown job",
                    "There is no job '" + printable(unknown.job()) + "' in the catalog.");
        }
        if (refusal instanceof Refusal.NotRunnable notRunnable) {
            return new ApiProblem(
                    HttpStatus.CONFLICT, "job-not-runnable", "Job cannot run here", notRunnable.why() + ".");
        }
        if (refusal instanceof Refusal.InvalidParams invalid) {
            return invalidParams(invalid.violations());
        }
        if (refusal instanceof Refusal.LaunchRefused launch) {
            return new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "launch-refused",
                    "Launch would be refused",
                    String.join("; ", launch.problems()) + ".");
        }
        if (refusal instanceof Refusal.SecretParamsOnEcs secrets) {
            return new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "secret-param-on-ecs",
                    "Secret parameter refused on ECS",
                    "Job '" + secrets.job() + "' runs on ECS, where a value for " + String.join(", ", secrets.params())
                            + " would travel as a container override that DescribeTasks and CloudTrail show in"
                            + " clear; it was not stored. Declare the secret in the job's secrets: (env name:"
                            + " Secrets Manager or SSM parameter ARN) so ECS injects it at task start.",
                    Map.of("params", secrets.params()));
        }
        if (refusal instanceof Refusal.QueueFull full) {
            return new ApiProblem(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "queue-full",
                    "Job queue is full",
                    "Job '" + full.job() + "' already has " + full.maxQueued()
                            + " runs waiting (maxQueued); try again later.",
                    Map.of("retryAfterSeconds", 60));
        }
        if (refusal instanceof Refusal.KeyReused reused) {
            String header = reused.key() == Refusal.Key.IDEMPOTENCY ? "Idempotency-Key" : "Execution-Key";
            return new ApiProblem(
                    HttpStatus.CONFLICT,
                    "idempotency-key-reused",
                    "Idempotency key reused",
                    "The " + header + " was already used for run " + reused.run() + " with different parameters.",
                    Map.of("runId", reused.run().value()));
        }
        throw new IllegalStateException("no problem for refusal " + refusal);
    }

    /** 400 {@code invalid-params}, each violation under {@code errors}: for jobs and for nets. */
    public static ApiProblem invalidParams(List<ParamViolation> violations) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                "invalid-params",
                "Invalid parameters",
                violations.size() == 1
                        ? violations.get(0).param() + ": " + violations.get(0).message()
                        : violations.size() + " parameters are invalid",
                Map.of(
                        "errors",
                        violations.stream()
                                .map(v -> Map.of("param", v.param(), "message", v.message()))
                                .toList()));
    }

    private static String printable(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
