package io.batchgate.catalog.jp1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Catalog names for JP1 units: {@code [a-z0-9][a-z0-9-]{0,62}}. Upper case is lowered, every other character becomes
 * {@code -}; a name with nothing left (a Japanese unit name) becomes {@code u-} and a digest of it; a name taken twice
 * gets {@code -2}, {@code -3}.
 */
final class Names {

    static final int MAX = 63;

    private final Set<String> taken = new HashSet<>();

    /** A sanitized name, without reserving it. */
    static String sanitize(String jp1Name) {
        String name =
                jp1Name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.isEmpty()) {
            return "u-" + digest(jp1Name);
        }
        return name;
    }

    /** {@code name} (cut to fit) or, if taken, {@code name-2} and so on; reserved from now on. */
    String unique(String name) {
        String base = fit(name, 0);
        String candidate = base;
        for (int n = 2; !taken.add(candidate); n++) {
            String suffix = "-" + n;
            candidate = fit(name, suffix.length()) + suffix;
        }
        return candidate;
    }

    private static String fit(String name, int room) {
        if (name.length() + room <= MAX) {
            return name;
        }
        String digest = digest(name);
        return name.substring(0, MAX - room - digest.length() - 1).replaceAll("-+$", "") + "-" + digest;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
