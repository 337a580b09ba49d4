package io.batchgate.runner.runtime.ecs.sim;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON helpers for the ECS JSON 1.1 protocol and the EventBridge event format. */
final class SimJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** EventBridge writes detail timestamps with milliseconds ("2026-11-23T12:00:00.000Z"). */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SimJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** How timestamps are written: the ECS API uses epoch seconds, EventBridge event details ISO-8601 strings. */
    enum Times {
        EPOCH_SECONDS,
        ISO;

        void put(ObjectNode node, String field, Instant instant) {
            if (instant == null) {
                return;
            }
            if (this == EPOCH_SECONDS) {
                node.put(field, epochSeconds(instant));
            } else {
                node.put(field, isoMillis(instant));
            }
        }
    }

    /** Epoch seconds with a millisecond fraction, as ECS sends them (1763900000.123). */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    static String isoMillis(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** The envelope's {@code time} has whole seconds ("2026-11-23T12:00:00Z"). */
    static String isoSeconds(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A string field, or null when absent or JSON null; anything else is a malformed request. */
    static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new SimException("SerializationException", 400, field + " must be a string");
        }
        return value.stringValue();
    }

    static Integer integer(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new SimException("SerializationException", 400, field + " must be an integer");
        }
        return value.intValue();
    }

    static byte[] error(String type, String message) {
        ObjectNode body = object().put("__type", type);
        if (message != null) {
            body.put("message", message);
        }
        return MAPPER.writeValueAsBytes(body);
    }

    /**
     * The text of a top-level member of a JSON object body exactly as it stands there, escapes and all; empty when
     * absent. A plain scan over the characters, so it measures the bytes received, not a re-serialization.
     */
    static String rawMember(String body, String name) {
        String key = "\"" + name + "\"";
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                if (depth == 1 && body.startsWith(key, i)) {
                    int colon = skipSpace(body, i + key.length());
                    if (colon < body.length() && body.charAt(colon) == ':') {
                        int start = skipSpace(body, colon + 1);
                        return body.substring(start, endOfValue(body, start));
                    }
                }
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return "";
    }

    private static int skipSpace(String body, int i) {
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index just past the object, array or scalar starting at {@code start}. */
    private static int endOfValue(String body, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (depth == 0 && (c == ',' || c == '}' || c == ']')) {
                return i;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return body.length();
    }
}
