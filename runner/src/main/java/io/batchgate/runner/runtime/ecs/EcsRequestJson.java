package io.batchgate.runner.runtime.ecs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.protocols.json.AwsJsonProtocol;
import software.amazon.awssdk.protocols.json.AwsJsonProtocolFactory;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.transform.RunTaskRequestMarshaller;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A RunTask request as the SDK puts it on the wire: marshalled by the SDK's own generated
 * marshaller with the AWS JSON 1.1 protocol the {@code EcsClient} uses, so its escaping (the SDK
 * writes a character outside the BMP as two {@code \\uXXXX} escapes, for one) is exactly what ECS
 * receives and measures.
 *
 * <p>The generated marshaller is marked {@code @SdkInternalApi}: the SDK has no public way to get a
 * request's body without sending it, and the dry run must not send. An SDK upgrade that changes it
 * fails to compile, or fails {@code EcsTaskRuntimeTests}, which compares the length measured here
 * with the length the ECS simulator receives from the real client.
 */
final class EcsRequestJson {

    // The marshaller only needs an endpoint to build the HTTP request around the body; the body
    // does not depend on it.
    private final RunTaskRequestMarshaller marshaller = new RunTaskRequestMarshaller(AwsJsonProtocolFactory.builder()
            .protocol(AwsJsonProtocol.AWS_JSON)
            .protocolVersion("1.1")
            .clientConfiguration(SdkClientConfiguration.builder()
                    .option(SdkClientOption.ENDPOINT, URI.create("https://ecs.invalid"))
                    .build())
            .build());

    private final JsonMapper json;

    EcsRequestJson(JsonMapper json) {
        this.json = json;
    }

    /** The request body, as sent. */
    String body(RunTaskRequest request) {
        SdkHttpFullRequest marshalled = marshaller.marshall(request);
        try (InputStream body = marshalled
                .contentStreamProvider()
                .orElseThrow(() -> new IllegalStateException("RunTask marshalled without a body"))
                .newStream()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A body as JSON-shaped maps and lists, in the order it was written. */
    Map<String, Object> map(String body) {
        return json.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** The text of a top-level object member of a JSON object, exactly as it stands in it; empty if absent. */
    String member(String body, String name) {
        try (JsonParser parser = json.createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name) && value == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    return body.substring(start, end);
                }
                parser.skipChildren();
            }
        }
        return "";
    }
}
