package io.batchgate.runner.logs.cloudwatch.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Amazon CloudWatch Logs over its real wire protocol (JSON 1.1 on a loopback port), so tests drive
 * batchgate's {@code CloudWatchLogsClient} exactly as in production: CreateLogGroup,
 * CreateLogStream, DescribeLogStreams, PutLogEvents and GetLogEvents. PutLogEvents enforces the
 * service's limits — at most 10,000 events and 1,048,576 bytes a call counting 26 bytes per event,
 * events of 1 to 262,144 bytes (with the 26), in time order, spanning at most 24 hours — so a
 * request that would fail in AWS fails here. GetLogEvents pages with forward tokens and answers the
 * same token again at the end of a stream, as AWS does.
 *
 * <p>Tests can make events arrive late ({@link #emitAfterReads}: visible only after a number of
 * reads of the stream, like the awslogs driver's delivery lag) and inject error answers
 * ({@link #failNext}).
 */
public final class CloudWatchLogsSimulator implements AutoCloseable {

    public static final int MAX_BATCH_EVENTS = 10_000;
    public static final int MAX_BATCH_BYTES = 1_048_576;
    public static final int EVENT_OVERHEAD = 26;
    public static final int MAX_EVENT_BYTES = 262_144;
    static final String TARGET_PREFIX = "Logs_20140328.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE_EVENTS = 10_000;
    private static final int PAGE_BYTES = 1_048_576;

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService threads;

    private final Map<String, Map<String, Stream>> groups = new HashMap<>();
    private final Map<String, Injected> injected = new HashMap<>();
    private final Map<String, Integer> calls = new TreeMap<>();
    private final List<PutRequest> puts = new ArrayList<>();
    private int rejected;

    /** One accepted PutLogEvents call: its stream, events and size as the service counts it. */
    public record PutRequest(String group, String stream, int events, int bytes) {}

    private record Event(long timestamp, String message, long ingestionTime) {}

    private record Late(int afterReads, List<Event> events) {}

    private static final class Stream {
        final List<Event> events = new ArrayList<>();
        final List<Late> late = new ArrayList<>();
        int reads;
    }

    private static final class Injected {
        int remaining;
        final String type;
        final int status;

        Injected(int remaining, String type, int status) {
            this.remaining = remaining;
            this.type = type;
            this.status = status;
        }
    }

    private static final class SimError extends RuntimeException {
        final String type;
        final int status;

        SimError(String type, int status, String message) {
            super(message, null, false, false);
            this.type = type;
            this.status = status;
        }
    }

    private CloudWatchLogsSimulator(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.threads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "cwl-sim");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static CloudWatchLogsSimulator start() {
        return start(Clock.systemUTC());
    }

    public static CloudWatchLogsSimulator start(Clock clock) {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            return new CloudWatchLogsSimulator(clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the CloudWatch Logs simulator to a loopback port", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The real SDK client pointed at this simulator, with the SDK's retries off: the adapters
     * under test do their own, and a test sees each refusal the simulator answers.
     */
    public CloudWatchLogsClient client() {
        return CloudWatchLogsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // ---- Set-up and inspection -------------------------------------------------------------------

    public synchronized CloudWatchLogsSimulator createGroup(String group) {
        groups.computeIfAbsent(group, g -> new HashMap<>());
        return this;
    }

    /** Events written by someone else (the awslogs driver of an ECS task), visible at once. */
    public synchronized CloudWatchLogsSimulator emit(String group, String stream, Instant at, List<String> lines) {
        stream(group, stream).events.addAll(events(at, lines));
        return this;
    }

    /** Events that become visible only after the stream has been read {@code reads} more times. */
    public synchronized CloudWatchLogsSimulator emitAfterReads(
            String group, String stream, int reads, Instant at, List<String> lines) {
        Stream target = stream(group, stream);
        target.late.add(new Late(target.reads + reads, events(at, lines)));
        return this;
    }

    /** The next {@code times} calls of {@code action} fail with {@code type} (HTTP 400, or 503 for ServiceUnavailable). */
    public synchronized CloudWatchLogsSimulator failNext(String action, int times, String type) {
        injected.put(action, new Injected(times, type, type.equals("ServiceUnavailableException") ? 503 : 400));
        return this;
    }

    /** The messages stored in a stream, in order (late ones only once visible). */
    public synchronized List<String> messages(String group, String stream) {
        Map<String, Stream> streams = groups.get(group);
        Stream found = streams == null ? null : streams.get(stream);
        return found == null
                ? List.of()
                : found.events.stream().map(Event::message).toList();
    }

    public synchronized List<PutRequest> puts() {
        return List.copyOf(puts);
    }

    public synchronized int calls(String action) {
        return calls.getOrDefault(action, 0);
    }

    /** PutLogEvents calls refused for breaking a limit. */
    public synchronized int rejectedPuts() {
        return rejected;
    }

    private Stream stream(String group, String stream) {
        return groups.computeIfAbsent(group, g -> new HashMap<>()).computeIfAbsent(stream, s -> new Stream());
    }

    private List<Event> events(Instant at, List<String> lines) {
        long now = clock.millis();
        return lines.stream()
                .map(line -> new Event(at.toEpochMilli(), line, now))
                .toList();
    }

    // ---- Protocol --------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        int status;
        byte[] body;
        try {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new SimError("UnknownOperationException", 400, null);
            }
            JsonNode json = request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request);
            body = JSON.writeValueAsBytes(dispatch(target.substring(TARGET_PREFIX.length()), json));
            status = 200;
        } catch (SimError e) {
            ObjectNode error = JSON.createObjectNode().put("__type", e.type);
            if (e.getMessage() != null) {
                error.put("message", e.getMessage());
            }
            status = e.status;
            body = JSON.writeValueAsBytes(error);
        } catch (JacksonException e) {
            status = 400;
            body = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("__type", "SerializationException")
                    .put("message", e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            status = 500;
            body = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("__type", "ServiceUnavailableException")
                    .put("message", "simulator: " + e));
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders()
                    .set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            // the client went away
        } finally {
            exchange.close();
        }
    }

    private synchronized ObjectNode dispatch(String action, JsonNode request) {
        calls.merge(action, 1, Integer::sum);
        Injected error = injected.get(action);
        if (error != null && error.remaining > 0) {
            error.remaining--;
            throw new SimError(error.type, error.status, "Injected by the CloudWatch Logs simulator");
        }
        return switch (action) {
            case "CreateLogGroup" -> createLogGroup(request);
            case "CreateLogStream" -> createLogStream(request);
            case "DescribeLogStreams" -> describeLogStreams(request);
            case "PutLogEvents" -> putLogEvents(request);
            case "GetLogEvents" -> getLogEvents(request);
            default -> throw new SimError("UnknownOperationException", 400, "not simulated: " + action);
        };
    }

    private ObjectNode createLogGroup(JsonNode request) {
        String group = required(request, "logGroupName");
        if (groups.containsKey(group)) {
            throw new SimError("ResourceAlreadyExistsException", 400, "The specified log group already exists");
        }
        groups.put(group, new HashMap<>());
        return JSON.createObjectNode();
    }

    private ObjectNode createLogStream(JsonNode request) {
        Map<String, Stream> streams = group(request);
        String stream = required(request, "logStreamName");
        if (streams.containsKey(stream)) {
            throw new SimError("ResourceAlreadyExistsException", 400, "The specified log stream already exists");
        }
        streams.put(stream, new Stream());
        return JSON.createObjectNode();
    }

    private ObjectNode describeLogStreams(JsonNode request) {
        Map<String, Stream> streams = group(request);
        String prefix = request.path("logStreamNamePrefix").asString("");
        ObjectNode result = JSON.createObjectNode();
        ArrayNode list = result.putArray("logStreams");
        new TreeMap<>(streams).forEach((name, stream) -> {
            if (name.startsWith(prefix)) {
                list.addObject().put("logStreamName", name).put("storedBytes", 0);
            }
        });
        return result;
    }

    private ObjectNode putLogEvents(JsonNode request) {
        Map<String, Stream> streams = group(request);
        String name = required(request, "logStreamName");
        Stream stream = streams.get(name);
        if (stream == null) {
            throw new SimError("ResourceNotFoundException", 400, "The specified log stream does not exist.");
        }
        JsonNode events = request.path("logEvents");
        try {
            if (!events.isArray() || events.isEmpty()) {
                throw invalid("logEvents must hold at least 1 event");
            }
            if (events.size() > MAX_BATCH_EVENTS) {
                throw invalid("logEvents holds " + events.size() + " events; at most " + MAX_BATCH_EVENTS);
            }
            long bytes = 0;
            long first = events.get(0).path("timestamp").asLong();
            long previous = first;
            List<Event> accepted = new ArrayList<>();
            for (JsonNode event : events) {
                String message = event.path("message").asString("");
                long timestamp = event.path("timestamp").asLong();
                int size = message.getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
                if (message.isEmpty()) {
                    throw invalid("message must be at least 1 character");
                }
                if (size > MAX_EVENT_BYTES) {
                    throw invalid("an event of " + size + " bytes is larger than " + MAX_EVENT_BYTES);
                }
                if (timestamp < previous) {
                    throw invalid("Log events in a single PutLogEvents request must be in chronological order.");
                }
                if (timestamp - first > Duration.ofHours(24).toMillis()) {
                    throw invalid("The batch of log events in a single PutLogEvents request cannot span more"
                            + " than 24 hours.");
                }
                previous = timestamp;
                bytes += size;
                accepted.add(new Event(timestamp, message, clock.millis()));
            }
            if (bytes > MAX_BATCH_BYTES) {
                throw invalid("the batch is " + bytes + " bytes; at most " + MAX_BATCH_BYTES);
            }
            stream.events.addAll(accepted);
            puts.add(new PutRequest(request.path("logGroupName").asString(), name, accepted.size(), (int) bytes));
        } catch (SimError e) {
            rejected++;
            throw e;
        }
        return JSON.createObjectNode().put("nextSequenceToken", String.valueOf(stream.events.size()));
    }

    private ObjectNode getLogEvents(JsonNode request) {
        Map<String, Stream> streams = group(request);
        Stream stream = streams.get(required(request, "logStreamName"));
        if (stream == null) {
            throw new SimError("ResourceNotFoundException", 400, "The specified log stream does not exist.");
        }
        stream.reads++;
        stream.late.removeIf(late -> {
            if (late.afterReads() <= stream.reads) {
                stream.events.addAll(late.events());
                return true;
            }
            return false;
        });
        String token = request.path("nextToken").asString("");
        int from;
        if (token.isEmpty()) {
            if (!request.path("startFromHead").asBoolean(false)) {
                throw new SimError("InvalidParameterException", 400, "the simulator pages from the head only");
            }
            from = 0;
        } else if (token.startsWith("f/")) {
            from = Integer.parseInt(token.substring(2));
        } else {
            throw invalid("The specified nextToken is invalid.");
        }
        int limit = request.path("limit").asInt(PAGE_EVENTS);
        ObjectNode result = JSON.createObjectNode();
        ArrayNode page = result.putArray("events");
        int to = from;
        long bytes = 0;
        while (to < stream.events.size() && to - from < limit) {
            Event event = stream.events.get(to);
            bytes += event.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (bytes > PAGE_BYTES) {
                break;
            }
            page.addObject()
                    .put("timestamp", event.timestamp())
                    .put("message", event.message())
                    .put("ingestionTime", event.ingestionTime());
            to++;
        }
        // at the end of the stream AWS answers the token it was given
        result.put("nextForwardToken", to == from && !token.isEmpty() ? token : "f/" + to);
        result.put("nextBackwardToken", "b/" + from);
        return result;
    }

    private Map<String, Stream> group(JsonNode request) {
        Map<String, Stream> streams = groups.get(required(request, "logGroupName"));
        if (streams == null) {
            throw new SimError("ResourceNotFoundException", 400, "The specified log group does not exist.");
        }
        return streams;
    }

    private static String required(JsonNode request, String field) {
        String value = request.path(field).asString("");
        if (value.isEmpty()) {
            throw invalid(field + " is required");
        }
        return value;
    }

    private static SimError invalid(String message) {
        return new SimError("InvalidParameterException", 400, message);
    }
}
