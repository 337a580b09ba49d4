package io.batchgate.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Turns caller entries (from configuration or the callers file) into known tokens, naming every mistake. */
final class CallerConfigs {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    static final int MIN_TOKEN_LENGTH = 12;

    private CallerConfigs() {}

    static List<CallerRegistry.KnownToken> known(
            List<AuthProperties.CallerConfig> entries, String origin, List<String> problems) {
        List<CallerRegistry.KnownToken> known = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            AuthProperties.CallerConfig entry = entries.get(i);
            String where = origin + "[" + i + "]";
            String token = blankToNull(entry.token());
            String tokenSha256 = blankToNull(entry.tokenSha256());
            if (token == null && tokenSha256 == null && origin.equals("batchgate.auth.tokens")) {
                // a profile's placeholder left empty (BATCHGATE_TOKEN unset): no caller from it
                continue;
            }
            int before = problems.size();
            if (entry.name() == null || !NAME.matcher(entry.name()).matches()) {
                problems.add(where + ".name: must be 1-100 of [A-Za-z0-9._@-], was '" + entry.name() + "'");
            }
            byte[] digest = null;
            if ((token == null) == (tokenSha256 == null)) {
                problems.add(where + ": give exactly one of token and token-sha256");
            } else if (token != null) {
                if (token.length() < MIN_TOKEN_LENGTH) {
                    problems.add(where + ".token: must have at least " + MIN_TOKEN_LENGTH + " characters");
                } else {
                    digest = sha256(token);
                }
            } else if (!SHA256_HEX.matcher(tokenSha256).matches()) {
                problems.add(where + ".token-sha256: must be 64 hex digits (printf %s \"$TOKEN\" | sha256sum)");
            } else {
                digest = HexFormat.of().parseHex(tokenSha256.toLowerCase(java.util.Locale.ROOT));
            }
            Scopes scopes = null;
            try {
                scopes = Scopes.parse(entry.scopes());
            } catch (IllegalArgumentException e) {
                problems.add(where + ".scopes: " + e.getMessage());
            }
            Caller.TriggerRate rate = null;
            if (entry.triggerRate() != null) {
                try {
                    rate = new Caller.TriggerRate(
                            entry.triggerRate().perSecond(), entry.triggerRate().burst());
                } catch (IllegalArgumentException e) {
                    problems.add(where + ".trigger-rate: " + e.getMessage());
                }
            }
            if (problems.size() == before) {
                known.add(new CallerRegistry.KnownToken(
                        entry.name(), digest, new Caller(entry.name(), scopes, rate), where));
            }
        }
        return known;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Two callers with one token would make the caller depend on the order of the list. */
    static void refuseDuplicateTokens(List<CallerRegistry.KnownToken> known, List<String> problems) {
        for (int i = 0; i < known.size(); i++) {
            for (int j = i + 1; j < known.size(); j++) {
                if (MessageDigest.isEqual(known.get(i).digest(), known.get(j).digest())) {
                    problems.add(known.get(j).origin() + ": the same token as "
                            + known.get(i).origin());
                }
            }
        }
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
