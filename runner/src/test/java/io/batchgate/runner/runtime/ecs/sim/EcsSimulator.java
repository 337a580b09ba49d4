package io.batchgate.runner.runtime.ecs.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.batchgate.runner.runtime.ecs.sim.LaunchedTask.Status;
import io.batchgate.runner.runtime.ecs.sim.SimJson.Times;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsAsyncClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Amazon ECS over its real wire protocol (JSON 1.1 on a loopback port), so tests and benchmarks drive batchgate's
 * {@code EcsClient} exactly as in production: RunTask, DescribeTasks, StopTask, ListTasks, DescribeTaskDefinition,
 * RegisterTaskDefinition and DeregisterTaskDefinition,
 * with ECS's limits, idempotency, throttling and failure answers.
 *
 * <p>Time comes from the injected {@link Clock} and task statuses are derived from it on every call (see
 * {@link LaunchedTask}): a test moves a {@link MutableClock} instead of sleeping. A task's behaviour is chosen by its
 * container environment overrides: {@code SIM_RUN_MS} (time RUNNING, default 0), {@code SIM_EXIT_CODE} (default 0) and
 * {@code SIM_STOP_REASON} (fail to start with that reason, no exit code).
 *
 * <p>All state sits behind one lock; requests are cheap, so a handful of server threads serve benchmarks fine.
 */
public final class EcsSimulator implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final int THREADS = 4;
    private static final int MAX_DESCRIBE = 100;
    private static final int MAX_LIST_RESULTS = 100;
    private static final Duration CLIENT_TOKEN_WINDOW = Duration.ofHours(24);
    private static final Set<String> LIST_DESIRED_STATUSES = Set.of("RUNNING", "PENDING", "STOPPED");

    static {
        // The JDK server writes headers and body as two segments; without TCP_NODELAY, Nagle plus the client's
        // delayed ACK add ~40 ms to every call. Read once, when the JVM's first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService handlerThreads;
    private final ScheduledExecutorService delayedResponses;

    // Simulated ECS state.
    private final Set<String> clusters = new HashSet<>();
    private final Map<String, TreeMap<Integer, SimTaskDefinition>> definitionsByFamily = new HashMap<>();
    private final Map<String, LaunchedTask> tasksById = new HashMap<>();
    private final List<LaunchedTask> tasksInLaunchOrder = new ArrayList<>();
    private final Map<String, Launch> launchesByClientToken = new HashMap<>();
    private final List<String> registeredRequests = new ArrayList<>();
    private long nextSequence;

    // Behaviour knobs.
    private Duration provisioning = Duration.ZERO;
    private Duration pending = Duration.ZERO;
    private Duration stopDelay = Duration.ZERO;
    private Duration forgetStoppedAfter;
    private Duration missingAfterLaunch = Duration.ZERO;
    private boolean unknownTasksWithoutFailures;
    private boolean desiredStaysRunning;
    private volatile Duration responseDelay = Duration.ZERO;
    private RunTaskThrottle throttle;
    private boolean throttleDisguised;
    private int runTaskFailuresLeft;
    private String runTaskFailureReason;
    private final Map<String, InjectedError> injectedErrors = new HashMap<>();

    // Counters.
    private final Map<String, Integer> callCounts = new TreeMap<>();
    private final List<Integer> describeBatchSizes = new ArrayList<>();
    private final List<String> describeTasksResponses = new ArrayList<>();
    private final List<Integer> overridesLengths = new ArrayList<>();
    private final List<Instant> runTaskLaunchTimes = new ArrayList<>();
    private int launched;
    private int throttled;

    /** A RunTask answered for a client token: replays within 24 h return these tasks. */
    private record Launch(JsonNode request, Instant at, List<LaunchedTask> tasks) {}

    private static final class InjectedError {
        int remaining;
        final String type;
        final int httpStatus;

        InjectedError(int remaining, String type, int httpStatus) {
            this.remaining = remaining;
            this.type = type;
            this.httpStatus = httpStatus;
        }
    }

    private record Response(int status, byte[] body) {}

    private EcsSimulator(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        this.handlerThreads = Executors.newFixedThreadPool(THREADS, daemonThreads("ecs-sim"));
        this.delayedResponses = Executors.newSingleThreadScheduledExecutor(daemonThreads("ecs-sim-delay"));
        server.setExecutor(handlerThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A simulator on the system clock. */
    public static EcsSimulator start() {
        return start(Clock.systemUTC());
    }

    public static EcsSimulator start(Clock clock) {
        try {
            return new EcsSimulator(clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the ECS simulator to a loopback port", e);
        }
    }

    /** For {@code EcsClient.builder().endpointOverride(...)}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The real SDK client pointed at this simulator over {@code http}, with the SDK's retries off. */
    public EcsAsyncClient client(SdkAsyncHttpClient http) {
        return EcsAsyncClient.builder()
                .httpClient(http)
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
        delayedResponses.shutdownNow();
        handlerThreads.shutdownNow();
    }

    // ---- Set-up --------------------------------------------------------------------------------------------

    public synchronized EcsSimulator addCluster(String name) {
        clusters.add(name);
        return this;
    }

    /** A task definition whose containers log with awslogs to group "/ecs/{family}", prefix "ecs". */
    public EcsSimulator registerTaskDefinition(String family, int revision, List<String> containerNames) {
        Map<String, String> logOptions =
                Map.of("awslogs-group", "/ecs/" + family, "awslogs-region", REGION, "awslogs-stream-prefix", "ecs");
        return registerTaskDefinition(family, revision, containerNames, logOptions, null);
    }

    /** Every container gets the same awslogs {@code logOptions} and {@code stopTimeout} (seconds, may be null). */
    public synchronized EcsSimulator registerTaskDefinition(
            String family,
            int revision,
            List<String> containerNames,
            Map<String, String> logOptions,
            Integer stopTimeout) {
        List<SimTaskDefinition.Container> containers = containerNames.stream()
                .map(name -> new SimTaskDefinition.Container(name, logOptions, stopTimeout))
                .toList();
        definitionsByFamily
                .computeIfAbsent(family, f -> new TreeMap<>())
                .put(revision, new SimTaskDefinition(family, revision, containers));
        return this;
    }

    /** How long new tasks stay PROVISIONING. */
    public synchronized EcsSimulator setProvisioning(Duration duration) {
        this.provisioning = duration;
        return this;
    }

    /** How long new tasks stay PENDING after provisioning. */
    public synchronized EcsSimulator setPending(Duration duration) {
        this.pending = duration;
        return this;
    }

    /** How long a StopTask takes to reach STOPPED (real ECS: up to the container's stopTimeout). */
    public synchronized EcsSimulator setStopDelay(Duration duration) {
        this.stopDelay = duration;
        return this;
    }

    /** Stopped tasks vanish from DescribeTasks/ListTasks once stopped longer than this (real ECS: about an hour). */
    public synchronized EcsSimulator forgetStoppedAfter(Duration duration) {
        this.forgetStoppedAfter = duration;
        return this;
    }

    /** Tasks younger than this are MISSING in DescribeTasks (ECS is eventually consistent right after RunTask). */
    public synchronized EcsSimulator setMissingAfterLaunch(Duration duration) {
        this.missingAfterLaunch = duration;
        return this;
    }

    /**
     * An emulator's behaviour rather than ECS's: DescribeTasks leaves unknown, aged-out and not-yet-visible tasks out of
     * {@code tasks} without a {@code MISSING} entry in {@code failures}.
     */
    public synchronized EcsSimulator describeUnknownTasksWithoutFailures(boolean silent) {
        this.unknownTasksWithoutFailures = silent;
        return this;
    }

    /**
     * An emulator's behaviour rather than ECS's: tasks launched from now on that end on their own keep
     * {@code desiredStatus} RUNNING (ListTasks lists them as desired RUNNING; DescribeTasks shows last STOPPED).
     */
    public synchronized EcsSimulator keepDesiredRunningWhenTasksEnd(boolean stays) {
        this.desiredStaysRunning = stays;
        return this;
    }

    /** The task's record is lost at once: DescribeTasks and ListTasks no longer know it, whatever its status. */
    public synchronized EcsSimulator forget(String taskArnOrId) {
        LaunchedTask task = tasksById.get(SimArns.taskId(taskArnOrId));
        if (task == null) {
            throw new IllegalArgumentException("no such task: " + taskArnOrId);
        }
        task.forgotten = true;
        return this;
    }

    /** Every response is sent this much later (wall time, not the sim clock); the server thread is not held. */
    public EcsSimulator setResponseDelay(Duration delay) {
        this.responseDelay = delay;
        return this;
    }

    /** A token bucket on the sim clock in front of RunTask, full at first (real Fargate: 20/s, burst 100). */
    public synchronized EcsSimulator throttleRunTask(double callsPerSecond, int burst) {
        this.throttle = new RunTaskThrottle(callsPerSecond, burst, clock.instant());
        return this;
    }

    public synchronized EcsSimulator stopThrottling() {
        this.throttle = null;
        return this;
    }

    /** Answer throttling as InvalidParameterException "Rate exceeded", as ECS sometimes does. */
    public synchronized EcsSimulator throttleDisguisedAsInvalidParameter(boolean disguised) {
        this.throttleDisguised = disguised;
        return this;
    }

    /** The next {@code n} RunTask calls answer 200 with no tasks and one failure, e.g. "RESOURCE:MEMORY". */
    public synchronized EcsSimulator failNextRunTasks(int n, String reason) {
        this.runTaskFailuresLeft = n;
        this.runTaskFailureReason = reason;
        return this;
    }

    /** The next {@code n} calls of {@code action} fail with {@code {"__type": exceptionType}} and that status. */
    public synchronized EcsSimulator failNextCalls(String action, int n, String exceptionType, int httpStatus) {
        injectedErrors.put(action, new InjectedError(n, exceptionType, httpStatus));
        return this;
    }

    // ---- Counters and assertions ---------------------------------------------------------------------------

    /** Requests received for an action, failed ones included. */
    public synchronized int calls(String action) {
        return callCounts.getOrDefault(action, 0);
    }

    public synchronized Map<String, Integer> callCounts() {
        return Map.copyOf(callCounts);
    }

    /** Tasks actually created (replays, throttled and failed launches excluded). */
    public synchronized int launched() {
        return launched;
    }

    /** The number of tasks asked for in each DescribeTasks call, in arrival order. */
    /** Every DescribeTasks answer as sent (JSON), for tests that look for what must not be in it. */
    public synchronized List<String> describeTasksResponses() {
        return List.copyOf(describeTasksResponses);
    }

    public synchronized List<Integer> describeBatchSizes() {
        return List.copyOf(describeBatchSizes);
    }

    /**
     * The characters of each RunTask's {@code overrides} JSON as it arrived on the wire (0 without overrides), in
     * arrival order, refused calls included: what ECS holds to its 8192-character limit.
     */
    public synchronized List<Integer> runTaskOverridesLengths() {
        return List.copyOf(overridesLengths);
    }

    /** The sim-clock time of each task created, in order. */
    public synchronized List<Instant> runTaskLaunchTimes() {
        return List.copyOf(runTaskLaunchTimes);
    }

    /** RunTask calls refused by the throttle. */
    public synchronized int throttled() {
        return throttled;
    }

    public synchronized void resetCounters() {
        callCounts.clear();
        describeBatchSizes.clear();
        overridesLengths.clear();
        runTaskLaunchTimes.clear();
        launched = 0;
        throttled = 0;
    }

    /** Every task ever launched, forgotten ones included, in launch order, as of now. */
    public synchronized List<SimTask> tasks() {
        Instant now = clock.instant();
        return tasksInLaunchOrder.stream().map(t -> t.view(now)).toList();
    }

    /** By ARN or id. */
    public synchronized Optional<SimTask> task(String arnOrId) {
        return Optional.ofNullable(tasksById.get(SimArns.taskId(arnOrId))).map(t -> t.view(clock.instant()));
    }

    public synchronized int launchedWithStartedBy(String startedBy) {
        return (int) tasksInLaunchOrder.stream()
                .filter(t -> startedBy.equals(t.request.startedBy()))
                .count();
    }

    /**
     * "ECS Task State Change" events for the statuses the task has reached so far, as EventBridge delivers them to
     * SQS (the message body). Ids are stable per task and version, so calling again yields duplicates, as at-least-once
     * delivery would.
     */
    public synchronized List<String> stateChangeEvents(String taskArn) {
        LaunchedTask task = tasksById.get(SimArns.taskId(taskArn));
        if (task == null) {
            throw new IllegalArgumentException("no such task: " + taskArn);
        }
        Instant now = clock.instant();
        List<String> events = new ArrayList<>();
        for (LaunchedTask.Transition transition : task.transitions()) {
            if (transition.at().isAfter(now)) {
                break;
            }
            ObjectNode detail = task.toJson(transition.status(), transition.at(), false, Times.ISO);
            detail.put("updatedAt", SimJson.isoMillis(transition.at()));
            ObjectNode event = SimJson.object()
                    .put("version", "0")
                    .put("id", eventId(task, transition.status()))
                    .put("detail-type", "ECS Task State Change")
                    .put("source", "aws.ecs")
                    .put("account", ACCOUNT)
                    .put("time", SimJson.isoSeconds(transition.at()))
                    .put("region", REGION);
            event.putArray("resources").add(task.arn);
            event.set("detail", detail);
            events.add(SimJson.MAPPER.writeValueAsString(event));
        }
        return events;
    }

    private static String eventId(LaunchedTask task, Status status) {
        return UUID.nameUUIDFromBytes((task.arn + "#" + status.version()).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        Response response = respond(exchange);
        Duration delay = responseDelay;
        if (delay.isZero() || delay.isNegative()) {
            send(exchange, response);
        } else {
            delayedResponses.schedule(() -> send(exchange, response), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Response respond(HttpExchange exchange) {
        try {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                return error("UnknownOperationException", 400, null);
            }
            JsonNode request = body.length == 0 ? SimJson.object() : SimJson.MAPPER.readTree(body);
            if (!request.isObject()) {
                return error("SerializationException", 400, "the request body must be a JSON object");
            }
            ObjectNode result = dispatch(
                    target.substring(TARGET_PREFIX.length()), request, new String(body, StandardCharsets.UTF_8));
            return new Response(200, SimJson.MAPPER.writeValueAsBytes(result));
        } catch (SimException e) {
            return error(e.type(), e.httpStatus(), e.getMessage());
        } catch (JacksonException e) {
            return error("SerializationException", 400, e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // A simulator bug: surface it to the test as a ServerException rather than a hung request.
            return error("ServerException", 500, "simulator: " + e);
        }
    }

    private static Response error(String type, int status, String message) {
        return new Response(status, SimJson.error(type, message));
    }

    private static void send(HttpExchange exchange, Response response) {
        try {
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders()
                    .set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(response.status(), response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (IOException e) {
            // The client has gone away (timed out or closed); nothing to answer.
        } finally {
            exchange.close();
        }
    }

    private synchronized ObjectNode dispatch(String action, JsonNode request, String body) {
        callCounts.merge(action, 1, Integer::sum);
        InjectedError injected = injectedErrors.get(action);
        if (injected != null && injected.remaining > 0) {
            injected.remaining--;
            throw new SimException(injected.type, injected.httpStatus, "Injected by the ECS simulator");
        }
        Instant now = clock.instant();
        return switch (action) {
            case "RunTask" -> runTask(request, body, now);
            case "DescribeTasks" -> {
                ObjectNode described = describeTasks(request, now);
                describeTasksResponses.add(described.toString());
                yield described;
            }
            case "StopTask" -> stopTask(request, now);
            case "ListTasks" -> listTasks(request, now);
            case "DescribeTaskDefinition" -> describeTaskDefinition(request);
            case "RegisterTaskDefinition" -> registerTaskDefinition(request);
            case "DeregisterTaskDefinition" -> deregisterTaskDefinition(request);
            default -> throw new SimException("UnknownOperationException", 400, null);
        };
    }

    // ---- Actions -------------------------------------------------------------------------------------------

    private ObjectNode runTask(JsonNode json, String body, Instant now) {
        // The rate limit comes first: a throttled call launches nothing, replays and bad requests included.
        if (throttle != null && !throttle.tryAcquire(now)) {
            throttled++;
            throw throttleDisguised
                    ? SimException.invalidParameter("Rate exceeded")
                    : new SimException("ThrottlingException", 400, "Rate exceeded");
        }
        int overridesLength = SimJson.rawMember(body, "overrides").length();
        overridesLengths.add(overridesLength);
        RunTaskInput request = RunTaskInput.parse(json, overridesLength);
        requireCluster(request.cluster());
        SimTaskDefinition definition = requireTaskDefinition(request.taskDefinition());
        if (!definition.active()) {
            throw SimException.client("TaskDefinition is inactive");
        }
        for (String container : request.overriddenContainers()) {
            if (!definition.hasContainer(container)) {
                throw SimException.invalidParameter(
                        "Override for container named " + container + " is not a container in the TaskDefinition.");
            }
        }
        // ECS keeps client tokens per cluster for 24 hours.
        String tokenKey = request.clientToken() == null ? null : request.cluster() + "\n" + request.clientToken();
        Launch earlier = tokenKey == null ? null : launchesByClientToken.get(tokenKey);
        if (earlier != null && Duration.between(earlier.at(), now).compareTo(CLIENT_TOKEN_WINDOW) < 0) {
            if (!earlier.request().equals(json)) {
                throw new SimException(
                        "ConflictException",
                        400,
                        "The specified client token has already been used in a request with different parameters.");
            }
            return runTaskResponse(earlier.tasks(), now);
        }
        if (runTaskFailuresLeft > 0) {
            runTaskFailuresLeft--;
            ObjectNode response = SimJson.object();
            response.putArray("tasks");
            response.putArray("failures").addObject().put("reason", runTaskFailureReason);
            return response;
        }
        List<LaunchedTask> created = new ArrayList<>(request.count());
        for (int i = 0; i < request.count(); i++) {
            String id = UUID.randomUUID().toString().replace("-", "");
            LaunchedTask task = new LaunchedTask(nextSequence++, id, definition, request, now, provisioning, pending);
            task.desiredStaysRunning = desiredStaysRunning;
            created.add(task);
        }
        for (LaunchedTask task : created) {
            tasksById.put(task.id, task);
            tasksInLaunchOrder.add(task);
            runTaskLaunchTimes.add(now);
        }
        launched += created.size();
        if (tokenKey != null) {
            launchesByClientToken.put(tokenKey, new Launch(json, now, List.copyOf(created)));
        }
        return runTaskResponse(created, now);
    }

    private static ObjectNode runTaskResponse(List<LaunchedTask> tasks, Instant now) {
        ObjectNode response = SimJson.object();
        ArrayNode array = response.putArray("tasks");
        for (LaunchedTask task : tasks) {
            array.add(task.toJson(task.statusAt(now), now, true, Times.EPOCH_SECONDS));
        }
        response.putArray("failures");
        return response;
    }

    private ObjectNode describeTasks(JsonNode json, Instant now) {
        String cluster = SimArns.clusterName(SimJson.text(json, "cluster"));
        requireCluster(cluster);
        JsonNode references = json.path("tasks");
        if (!references.isArray() || references.isEmpty()) {
            throw SimException.invalidParameter("Tasks cannot be empty.");
        }
        if (references.size() > MAX_DESCRIBE) {
            throw SimException.invalidParameter("Too many tasks were provided. Up to 100 tasks can be described.");
        }
        describeBatchSizes.add(references.size());
        boolean includeTags = false;
        for (JsonNode include : json.path("include")) {
            includeTags |= "TAGS".equals(include.asString(""));
        }
        ObjectNode response = SimJson.object();
        ArrayNode tasks = response.putArray("tasks");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : references) {
            String ref = reference.asString("");
            LaunchedTask task = visibleTask(cluster, ref, now);
            if (task == null || Duration.between(task.createdAt, now).compareTo(missingAfterLaunch) < 0) {
                if (unknownTasksWithoutFailures) {
                    continue;
                }
                String arn = ref.startsWith("arn:") ? ref : SimArns.task(cluster, ref);
                failures.addObject().put("arn", arn).put("reason", "MISSING");
            } else {
                tasks.add(task.toJson(task.statusAt(now), now, includeTags, Times.EPOCH_SECONDS));
            }
        }
        return response;
    }

    private ObjectNode stopTask(JsonNode json, Instant now) {
        String cluster = SimArns.clusterName(SimJson.text(json, "cluster"));
        requireCluster(cluster);
        String ref = SimJson.text(json, "task");
        LaunchedTask task = ref == null ? null : visibleTask(cluster, ref, now);
        if (task == null) {
            throw SimException.invalidParameter("The referenced task was not found.");
        }
        task.requestStop(now, stopDelay, SimJson.text(json, "reason"));
        ObjectNode response = SimJson.object();
        response.set("task", task.toJson(task.statusAt(now), now, false, Times.EPOCH_SECONDS));
        return response;
    }

    private ObjectNode listTasks(JsonNode json, Instant now) {
        String cluster = SimArns.clusterName(SimJson.text(json, "cluster"));
        requireCluster(cluster);
        Integer maxResults = SimJson.integer(json, "maxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_LIST_RESULTS)) {
            throw SimException.invalidParameter("maxResults must be between 1 and " + MAX_LIST_RESULTS + ".");
        }
        int limit = maxResults == null ? MAX_LIST_RESULTS : maxResults;
        String startedBy = SimJson.text(json, "startedBy");
        String family = SimJson.text(json, "family");
        if (startedBy != null
                && (family != null || json.hasNonNull("serviceName") || json.hasNonNull("containerInstance"))) {
            // Documented: "When you specify startedBy as the filter, it must be the only filter that you use."
            throw SimException.invalidParameter("startedBy must be the only filter when it is specified.");
        }
        String desiredStatus =
                Optional.ofNullable(SimJson.text(json, "desiredStatus")).orElse("RUNNING");
        if (!LIST_DESIRED_STATUSES.contains(desiredStatus)) {
            throw SimException.invalidParameter("Invalid desiredStatus: " + desiredStatus);
        }
        long after = decodeNextToken(SimJson.text(json, "nextToken"));

        ObjectNode response = SimJson.object();
        ArrayNode arns = response.putArray("taskArns");
        // ECS documents that desiredStatus PENDING returns nothing: no task is ever desired to be PENDING.
        if (desiredStatus.equals("PENDING")) {
            return response;
        }
        boolean wantStopped = desiredStatus.equals("STOPPED");
        long lastSequence = -1;
        for (LaunchedTask task : tasksInLaunchOrder) {
            if (task.sequence <= after
                    || !task.cluster().equals(cluster)
                    || (startedBy != null && !startedBy.equals(task.request.startedBy()))
                    || (family != null && !family.equals(task.definition.family()))
                    || task.desiredStopped(now) != wantStopped
                    || task.forgottenAt(now, forgetStoppedAfter)) {
                continue;
            }
            if (arns.size() == limit) {
                response.put("nextToken", encodeNextToken(lastSequence));
                break;
            }
            arns.add(task.arn);
            lastSequence = task.sequence;
        }
        return response;
    }

    /** The token names the last task returned; tasks are only ever appended, so paging is stable. */
    private static String encodeNextToken(long lastSequence) {
        byte[] token = ("after:" + lastSequence).getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    private static long decodeNextToken(String token) {
        if (token == null) {
            return -1;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("after:")) {
                return Long.parseLong(decoded.substring("after:".length()));
            }
        } catch (IllegalArgumentException e) {
            // fall through: not one of ours
        }
        throw SimException.invalidParameter("Invalid nextToken.");
    }

    private ObjectNode describeTaskDefinition(JsonNode json) {
        String reference = SimJson.text(json, "taskDefinition");
        if (reference == null || reference.isBlank()) {
            throw SimException.client("TaskDefinition can not be blank.");
        }
        SimTaskDefinition definition = requireTaskDefinition(reference);
        ObjectNode response = SimJson.object();
        response.set("taskDefinition", definition.toJson());
        JsonNode include = json.get("include");
        if (include != null && include.isArray() && include.toString().contains("\"TAGS\"")) {
            ArrayNode tags = response.putArray("tags");
            definition
                    .tags()
                    .forEach((key, value) -> tags.addObject().put("key", key).put("value", value));
        }
        return response;
    }

    /** Keeps the request's fields as sent; the next revision of the family, ACTIVE. */
    private ObjectNode registerTaskDefinition(JsonNode json) {
        String family = SimJson.text(json, "family");
        if (family == null || !family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw SimException.client("Family must be 1-255 letters, numbers, hyphens and underscores.");
        }
        JsonNode definitions = json.get("containerDefinitions");
        if (definitions == null || !definitions.isArray() || definitions.isEmpty()) {
            throw SimException.client("Container list cannot be empty.");
        }
        List<SimTaskDefinition.Container> containers = new ArrayList<>();
        for (JsonNode container : definitions) {
            Map<String, String> logOptions = new HashMap<>();
            JsonNode options = container.path("logConfiguration").path("options");
            for (Map.Entry<String, JsonNode> option : options.properties()) {
                logOptions.put(option.getKey(), option.getValue().asString());
            }
            JsonNode stopTimeout = container.get("stopTimeout");
            containers.add(new SimTaskDefinition.Container(
                    container.path("name").asString(), logOptions, stopTimeout == null ? null : stopTimeout.asInt()));
        }
        Map<String, String> tags = new HashMap<>();
        for (JsonNode tag : json.path("tags")) {
            tags.put(tag.path("key").asString(), tag.path("value").asString());
        }
        TreeMap<Integer, SimTaskDefinition> revisions =
                definitionsByFamily.computeIfAbsent(family, f -> new TreeMap<>());
        int revision = revisions.isEmpty() ? 1 : revisions.lastKey() + 1;
        SimTaskDefinition definition =
                new SimTaskDefinition(family, revision, containers, (ObjectNode) json.deepCopy(), tags, true);
        revisions.put(revision, definition);
        registeredRequests.add(json.toString());
        ObjectNode response = SimJson.object();
        response.set("taskDefinition", definition.toJson());
        ArrayNode tagArray = response.putArray("tags");
        tags.forEach((key, value) -> tagArray.addObject().put("key", key).put("value", value));
        return response;
    }

    private ObjectNode deregisterTaskDefinition(JsonNode json) {
        String reference = SimJson.text(json, "taskDefinition");
        if (reference == null || !reference.matches(".*:[0-9]+")) {
            throw SimException.client("Invalid revision number. Number: " + reference);
        }
        SimTaskDefinition definition = requireTaskDefinition(reference).deregistered();
        definitionsByFamily.get(definition.family()).put(definition.revision(), definition);
        ObjectNode response = SimJson.object();
        response.set("taskDefinition", definition.toJson());
        return response;
    }

    /** The bodies of every RegisterTaskDefinition call, in order. */
    public synchronized List<String> registeredTaskDefinitionRequests() {
        return List.copyOf(registeredRequests);
    }

    /** The revisions of a family, ACTIVE or not, in revision order. */
    public synchronized List<SimTaskDefinition> taskDefinitions(String family) {
        TreeMap<Integer, SimTaskDefinition> revisions = definitionsByFamily.get(family);
        return revisions == null ? List.of() : List.copyOf(revisions.values());
    }

    // ---- Lookups -------------------------------------------------------------------------------------------

    private void requireCluster(String cluster) {
        if (!clusters.contains(cluster)) {
            throw new SimException("ClusterNotFoundException", 400, "Cluster not found.");
        }
    }

    /** "family" (latest ACTIVE revision), "family:revision" or its ARN. */
    private SimTaskDefinition requireTaskDefinition(String arnOrReference) {
        String reference = SimArns.taskDefinitionReference(arnOrReference);
        int colon = reference.lastIndexOf(':');
        String family = colon < 0 ? reference : reference.substring(0, colon);
        TreeMap<Integer, SimTaskDefinition> revisions = definitionsByFamily.get(family);
        SimTaskDefinition definition = null;
        if (revisions != null) {
            if (colon < 0) {
                definition = revisions.descendingMap().values().stream()
                        .filter(SimTaskDefinition::active)
                        .findFirst()
                        .orElse(null);
            } else {
                try {
                    definition = revisions.get(Integer.parseInt(reference.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    definition = null;
                }
            }
        }
        if (definition == null) {
            throw SimException.client("TaskDefinition not found.");
        }
        return definition;
    }

    /** A task of this cluster that ECS still reports: by id or ARN, not aged out. */
    private LaunchedTask visibleTask(String cluster, String reference, Instant now) {
        LaunchedTask task = tasksById.get(SimArns.taskId(reference));
        if (task == null
                || !task.cluster().equals(cluster)
                || (reference.startsWith("arn:") && !task.arn.equals(reference))
                || task.forgottenAt(now, forgetStoppedAfter)) {
            return null;
        }
        return task;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
