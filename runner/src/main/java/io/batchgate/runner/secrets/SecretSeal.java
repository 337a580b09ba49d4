package io.batchgate.runner.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret parameter values for storage: AES-256-GCM, a fresh 96-bit nonce per value, and the
 * run id plus the parameter name as associated data, so a sealed value opens only for the run and
 * parameter it was sealed for. The first key of the ring seals; every key opens (rotation: put a new
 * key first, keep the old ones until no active run uses them). A sealed value reads
 * {@code bgsealed:v1:<key id>:<base64url(nonce | ciphertext+tag)>}.
 */
public final class SecretSeal {

    static final String PREFIX = "bgsealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final List<Key> keys;
    private final RandomGenerator random;

    /** A named AES key. */
    public record Key(String id, byte[] bytes) {
        public Key {
            if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("a secret key id is 1-64 of [A-Za-z0-9_.-], found '" + id + "'");
            }
            if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
                throw new IllegalArgumentException("secret key '" + id
                        + "' must be 16, 24 or 32 bytes (base64 of 32 random bytes), found " + bytes.length);
            }
            bytes = bytes.clone();
        }

        SecretKey aes() {
            return new SecretKeySpec(bytes, "AES");
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /** @param random a cryptographically strong source for nonces ({@link SecureRandom}) */
    public SecretSeal(List<Key> keys, RandomGenerator random) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one secret key is needed");
        }
        this.keys = List.copyOf(keys);
        this.random = random;
    }

    /** A seal with a key of its own that nothing else can open: for tests and tools without storage. */
    public static SecretSeal ephemeral() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new SecretSeal(List.of(new Key("ephemeral", key)), random);
    }

    public static boolean isSealed(String value) {
        return value.startsWith(PREFIX);
    }

    public String seal(String runId, String param, String value) {
        Key key = keys.get(0);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(runId, param));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + key.id() + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret value of run " + runId + " (" + param + ")", e);
        }
    }

    /** Opens a sealed value; a value that is not sealed is returned as it is. */
    public String open(String runId, String param, String value) {
        if (!isSealed(value)) {
            return value;
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String keyId = colon < 0 ? "" : rest.substring(0, colon);
        Key key = find(keyId)
                .orElseThrow(() -> new UnsealException(
                        runId, param, "its key '" + keyId + "' is not configured (batchgate.secrets.keys)"));
        try {
            byte[] in = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new UnsealException(runId, param, "the stored value is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.aes(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad(runId, param));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UnsealException(runId, param, "the stored value is not valid base64");
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UnsealException(
                    runId, param, "authentication failed: the stored value was altered or belongs to another run");
        } catch (GeneralSecurityException e) {
            throw new UnsealException(runId, param, e.getClass().getSimpleName());
        }
    }

    /** The given params with the named secret ones sealed (values already sealed are kept). */
    public Map<String, String> sealAll(String runId, Map<String, String> params, java.util.Set<String> secrets) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((name, value) ->
                out.put(name, secrets.contains(name) && !isSealed(value) ? seal(runId, name, value) : value));
        return out;
    }

    /** The given params with every sealed value opened: only for a launch. */
    public Map<String, String> openAll(String runId, Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((name, value) -> out.put(name, open(runId, name, value)));
        return out;
    }

    private Optional<Key> find(String id) {
        return keys.stream().filter(key -> key.id().equals(id)).findFirst();
    }

    private static byte[] aad(String runId, String param) {
        return (runId + "/" + param).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored secret value that cannot be opened; the message never contains the value. */
    public static final class UnsealException extends RuntimeException {
        UnsealException(String runId, String param, String why) {
            super("the secret value of param " + param + " of run " + runId + " cannot be opened: " + why);
        }
    }
}
