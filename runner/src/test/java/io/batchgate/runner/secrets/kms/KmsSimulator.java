package io.batchgate.runner.secrets.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS KMS over its real wire protocol (JSON 1.1 on a loopback port: {@code POST /},
 * {@code X-Amz-Target: TrentService.GenerateDataKey} / {@code TrentService.Decrypt}, blobs as
 * base64), so tests drive batchgate's real {@code KmsClient}: symmetric keys addressed by key id,
 * key ARN or alias; the encryption context bound to each ciphertext; {@code AccessDeniedException}
 * for a denied key, {@code NotFoundException} for an unknown one, {@code IncorrectKeyException} when
 * Decrypt names another key than the one that encrypted, {@code InvalidCiphertextException} for an
 * altered blob or another context. It remembers every plaintext data key it handed out, so a test
 * can look for them where they must not be.
 */
public final class KmsSimulator implements AutoCloseable {

    public static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    private static final String TARGET_PREFIX = "TrentService.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final SecureRandom random = new SecureRandom();

    private final Map<String, SimKey> keysById = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final Set<String> denied = new HashSet<>();
    private final List<byte[]> handedOut = new ArrayList<>();
    private final Map<String, Integer> calls = new TreeMap<>();

    private record SimKey(String id, String arn, byte[] material) {}

    private KmsSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static KmsSimulator start() {
        try {
            return new KmsSimulator();
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the KMS simulator to a loopback port", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Creates a symmetric key and returns its ARN; {@code alias} (e.g. "alias/batchgate") may be null. */
    public synchronized String createKey(String alias) {
        String id = UUID.randomUUID().toString();
        String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
        byte[] material = new byte[32];
        random.nextBytes(material);
        keysById.put(id, new SimKey(id, arn, material));
        if (alias != null) {
            aliases.put(alias, id);
        }
        return arn;
    }

    /** Every further call with this key (id, ARN or alias) is answered AccessDeniedException. */
    public synchronized void deny(String keyRef) {
        SimKey key = resolve(keyRef);
        denied.add(key == null ? keyRef : key.id());
    }

    public synchronized void allow(String keyRef) {
        SimKey key = resolve(keyRef);
        denied.remove(key == null ? keyRef : key.id());
    }

    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    /** Every plaintext data key GenerateDataKey returned. */
    public synchronized List<byte[]> plaintextsHandedOut() {
        return List.copyOf(handedOut);
    }

    private SimKey resolve(String ref) {
        if (ref.startsWith("arn:aws:kms:") && ref.contains(":alias/")) {
            ref = ref.substring(ref.indexOf(":alias/") + 1);
        }
        if (ref.startsWith("alias/")) {
            String id = aliases.get(ref);
            return id == null ? null : keysById.get(id);
        }
        if (ref.startsWith("arn:aws:kms:") && ref.contains(":key/")) {
            ref = ref.substring(ref.indexOf(":key/") + 5);
        }
        return keysById.get(ref);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Response response;
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                response = error(400, "UnknownOperationException", "expected POST with X-Amz-Target TrentService.*");
            } else {
                String operation = target.substring(TARGET_PREFIX.length());
                JsonNode request = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                synchronized (this) {
                    calls.merge(operation, 1, Integer::sum);
                    response = switch (operation) {
                        case "GenerateDataKey" -> generateDataKey(request);
                        case "Decrypt" -> decrypt(request);
                        default -> error(400, "UnknownOperationException", operation + " is not simulated");
                    };
                }
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders()
                    .set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(response.status(), response.body().length);
            exchange.getResponseBody().write(response.body());
        }
    }

    private Response generateDataKey(JsonNode request) {
        String keyRef = text(request, "KeyId");
        if (keyRef == null) {
            return error(400, "ValidationException", "KeyId is required");
        }
        SimKey key = resolve(keyRef);
        if (key == null) {
            return error(400, "NotFoundException", "Key '" + keyRef + "' does not exist");
        }
        if (denied.contains(key.id())) {
            return accessDenied("kms:GenerateDataKey", key);
        }
        String spec = text(request, "KeySpec");
        if (!"AES_256".equals(spec)) {
            return error(400, "ValidationException", "this simulator generates AES_256 data keys only, asked " + spec);
        }
        byte[] plaintext = new byte[32];
        random.nextBytes(plaintext);
        handedOut.add(plaintext.clone());
        ObjectNode out = JSON.createObjectNode();
        out.put("CiphertextBlob", base64(seal(key, plaintext, context(request))));
        out.put("Plaintext", base64(plaintext));
        out.put("KeyId", key.arn());
        return new Response(200, JSON.writeValueAsBytes(out));
    }

    private Response decrypt(JsonNode request) {
        String blobText = text(request, "CiphertextBlob");
        if (blobText == null) {
            return error(400, "ValidationException", "CiphertextBlob is required");
        }
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(blobText));
        byte[] idBytes = new byte[blob.get() & 0xff];
        blob.get(idBytes);
        SimKey key = keysById.get(new String(idBytes, StandardCharsets.US_ASCII));
        if (key == null) {
            return error(400, "InvalidCiphertextException", "the ciphertext refers to an unknown key");
        }
        String keyRef = text(request, "KeyId");
        if (keyRef != null) {
            SimKey named = resolve(keyRef);
            if (named == null) {
                return error(400, "NotFoundException", "Key '" + keyRef + "' does not exist");
            }
            if (!named.id().equals(key.id())) {
                return error(
                        400,
                        "IncorrectKeyException",
                        "The key ID in the request does not identify a CMK" + " that can perform this operation.");
            }
        }
        if (denied.contains(key.id())) {
            return accessDenied("kms:Decrypt", key);
        }
        byte[] rest = new byte[blob.remaining()];
        blob.get(rest);
        byte[] plaintext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key.material(), "AES"),
                    new GCMParameterSpec(128, rest, 0, 12));
            cipher.updateAAD(context(request).getBytes(StandardCharsets.UTF_8));
            plaintext = cipher.doFinal(rest, 12, rest.length - 12);
        } catch (GeneralSecurityException e) {
            return error(400, "InvalidCiphertextException", null);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("Plaintext", base64(plaintext));
        out.put("KeyId", key.arn());
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return new Response(200, JSON.writeValueAsBytes(out));
    }

    /** Blob: key id length, key id, then nonce | AES-GCM(material, plaintext, aad = the context). */
    private byte[] seal(SimKey key, byte[] plaintext, String context) {
        try {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(id.length);
            out.writeBytes(id);
            out.writeBytes(nonce);
            out.writeBytes(sealed);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encryption context in a canonical form (sorted), as KMS binds it. */
    private static String context(JsonNode request) {
        Map<String, String> sorted = new TreeMap<>();
        JsonNode context = request.get("EncryptionContext");
        if (context != null && context.isObject()) {
            context.properties()
                    .forEach(
                            entry -> sorted.put(entry.getKey(), entry.getValue().asString()));
        }
        return sorted.toString();
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private Response accessDenied(String action, SimKey key) {
        return error(
                400,
                "AccessDeniedException",
                "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/batchgate-service/task is not authorized to perform: "
                        + action + " on resource: " + key.arn() + " because no identity-based policy allows the "
                        + action + " action");
    }

    private static Response error(int status, String type, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        if (message != null) {
            out.put("message", message);
        }
        return new Response(status, JSON.writeValueAsBytes(out));
    }

    private record Response(int status, byte[] body) {}
}
