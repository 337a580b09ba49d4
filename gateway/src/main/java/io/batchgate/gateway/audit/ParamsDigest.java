package io.batchgate.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The audit trail's fingerprint of a trigger's parameters: SHA-256 over the sorted {@code
 * NAME=value} lines, with the value of every secret parameter replaced by a mask first — so two
 * triggers with the same parameters can be matched, and no secret can be recovered by guessing
 * values against the digest. When the job is unknown nothing says which values are secret, and
 * every value is masked.
 */
public final class ParamsDigest {

    static final String MASK = "******";

    private ParamsDigest() {}

    public static String of(Map<String, String> params, Predicate<String> isSecret) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(params).forEach((name, value) -> canonical
                .append(name.replace("\n", "\\n"))
                .append('=')
                .append(isSecret.test(name) ? MASK : value.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n'));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String of(Map<String, String> params, Set<String> secretNames) {
        return of(params, secretNames::contains);
    }

    /** For parameters sent to a job that does not exist: names only. */
    public static String namesOnly(Map<String, String> params) {
        return of(params, name -> true);
    }
}
