package io.batchgate.gateway.trigger;

import io.batchgate.gateway.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a trigger's parameters from the query string, a form body or a JSON body
 * ({@code {"params": {...}}}) — JP1 and shell users use all three — and refuses anything
 * ambiguous: a parameter given twice, a control name that does not exist, bytes that are not
 * UTF-8, a body over the limit, a JSON value that is not a scalar.
 */
public final class TriggerRequestReader {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_PARAMS = 100;
    static final int MAX_VALUE_CHARS = 8192;
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,127}");
    private static final java.util.List<String> CONTROLS = java.util.List.of("dryRun", "wait", "abandonAfter");
    private static final java.util.List<String> JSON_FIELDS =
            java.util.List.of("params", "idempotencyKey", "executionKey");

    private final JsonMapper json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public TriggerRequest read(HttpServletRequest request) throws IOException {
        String declared = request.getContentType();
        if (declared != null && declared.regionMatches(true, 0, "multipart/", 0, 10)) {
            // the servlet container would parse it into parts and leave an empty body behind
            throw unsupported("Multipart bodies are not accepted");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> controls = new LinkedHashMap<>();
        String[] keys = {null, null};
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            readPairs(query, "query string", params, controls);
        }
        byte[] body = readBody(request);
        if (body.length > 0) {
            MediaType type = contentType(request);
            if (isJson(type)) {
                keys = readJson(body, params);
            } else if (MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
                readPairs(utf8(body, "form body"), "form body", params, null);
            } else {
                throw unsupported("Content type '" + type + "' is not accepted");
            }
        }
        return new TriggerRequest(
                params,
                dryRun(controls.get("dryRun")),
                keys[0],
                keys[1],
                controls.containsKey("wait")
                        ? java.util.OptionalLong.of(seconds(controls.get("wait"), "wait", 0, 3600))
                        : java.util.OptionalLong.empty(),
                controls.containsKey("abandonAfter")
                        ? java.util.OptionalLong.of(seconds(controls.get("abandonAfter"), "abandonAfter", 1, 86400))
                        : java.util.OptionalLong.empty());
    }

    private static long seconds(String value, String name, long min, long max) {
        if (value != null && value.matches("[0-9]{1,6}")) {
            long seconds = Long.parseLong(value);
            if (seconds >= min && seconds <= max) {
                return seconds;
            }
        }
        throw malformed("'" + name + "' must be a whole number of seconds from " + min + " to " + max);
    }

    private static boolean dryRun(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw malformed("'dryRun' must be true or false");
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static MediaType contentType(HttpServletRequest request) {
        String header = request.getContentType();
        if (header == null || header.isBlank()) {
            throw unsupported("A body needs a Content-Type");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw unsupported("Content-Type '" + abbreviate(header) + "' cannot be parsed");
        }
        if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
            throw unsupported("Only UTF-8 bodies are accepted, not " + type.getCharset());
        }
        return type;
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                || (type.getSubtype().endsWith("+json") && "application".equals(type.getType()));
    }

    /**
     * Reads {@code {"params": {...}, "idempotencyKey": "…", "executionKey": "…"}}; returns the two
     * keys (null where not given).
     */
    private @Nullable String[] readJson(byte[] body, Map<String, String> params) {
        JsonNode root;
        try {
            root = json.readTree(utf8(body, "JSON body"));
        } catch (JacksonException e) {
            throw malformed("The JSON body cannot be parsed: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed("The JSON body must be an object like {\"params\": {\"NAME\": \"value\"}}");
        }
        for (String field : root.propertyNames()) {
            if (!JSON_FIELDS.contains(field)) {
                throw malformed(
                        "Unknown field '" + abbreviate(field) + "' in the JSON body; the fields are " + JSON_FIELDS);
            }
        }
        String[] keys = {stringField(root, "idempotencyKey"), stringField(root, "executionKey")};
        JsonNode values = root.get("params");
        if (values == null || values.isNull()) {
            return keys;
        }
        if (!values.isObject()) {
            throw malformed("'params' must be an object of NAME: value pairs");
        }
        for (String name : values.propertyNames()) {
            JsonNode value = values.get(name);
            if (!(value.isString() || value.isNumber() || value.isBoolean())) {
                throw malformed("Parameter '" + abbreviate(name) + "' must be a string, number or boolean, not "
                        + value.getNodeType().name().toLowerCase());
            }
            put(params, name, value.isString() ? value.asString() : value.toString(), "JSON body");
        }
        return keys;
    }

    private static @Nullable String stringField(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value != null && !value.isNull() && !value.isString()) {
            throw malformed("'" + field + "' must be a string");
        }
        return value == null || value.isNull() ? null : value.asString();
    }

    /** Reads NAME=value pairs; lower-camel-case control names go to {@code controls} where allowed. */
    private static void readPairs(
            String encoded, String where, Map<String, String> params, Map<String, String> controls) {
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), where);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), where);
            if (controls != null && CONTROLS.contains(name)) {
                if (controls.put(name, value) != null) {
                    throw malformed("'" + name + "' is given more than once");
                }
                continue;
            }
            if (!PARAM_NAME.matcher(name).matches()) {
                throw malformed("Unknown control parameter '" + abbreviate(name) + "' in the " + where
                        + ". Job parameters are upper-case names like GREETING; control parameters ("
                        + String.join(", ", CONTROLS) + ") go in the query string.");
            }
            put(params, name, value, where);
        }
    }

    private static void put(Map<String, String> params, String name, String value, String where) {
        if (params.containsKey(name)) {
            throw malformed("Parameter '" + abbreviate(name) + "' is given more than once (last in the " + where + ")");
        }
        if (params.size() == MAX_PARAMS) {
            throw malformed("More than " + MAX_PARAMS + " parameters");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw malformed("Parameter '" + abbreviate(name) + "' is longer than " + MAX_VALUE_CHARS + " characters");
        }
        params.put(name, value);
    }

    private static String decode(String text, String where) {
        try {
            byte[] bytes = URLDecoder.decode(text, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return utf8(bytes, where);
        } catch (IllegalArgumentException e) {
            throw malformed("Bad percent-encoding in the " + where);
        }
    }

    private static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("The " + where + " is not valid UTF-8");
        }
    }

    private static String abbreviate(String text) {
        String printable = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    private static ApiProblem malformed(String detail) {
        return ApiProblem.badRequest("malformed-request", "Malformed request", detail);
    }

    private static ApiProblem unsupported(String detail) {
        return new ApiProblem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                detail + ". Send application/json ({\"params\": {...}}) or application/x-www-form-urlencoded,"
                        + " in UTF-8.");
    }

    private static ApiProblem tooLarge() {
        return new ApiProblem(
                HttpStatus.CONTENT_TOO_LARGE,
                "body-too-large",
                "Request body too large",
                "The body is larger than " + MAX_BODY_BYTES + " bytes.");
    }
}
