package io.batchgate.gateway.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known tokens, as SHA-256 digests, and the caller each belongs to. Callers from the
 * configuration are fixed; callers from the callers file are swapped in atomically whenever the
 * file changes and loads without errors. Authentication compares the presented token's digest
 * with every known digest in constant time, so neither the answer nor its timing tells how close a
 * guess was.
 */
public class CallerRegistry {

    private static final Logger log = LoggerFactory.getLogger(CallerRegistry.class);

    private final List<KnownToken> configured;
    private final @Nullable Path file;
    private final Counter fileErrors;
    private volatile List<KnownToken> fromFile = List.of();
    private volatile @Nullable String loadedStamp;

    public CallerRegistry(AuthProperties properties, MeterRegistry meters) {
        this.file = properties.callersFile();
        this.fileErrors = Counter.builder("batchgate.auth.callers_file_errors")
                .description("Loads of the callers file refused for errors")
                .register(meters);
        List<String> problems = new ArrayList<>();
        this.configured = CallerConfigs.known(properties.tokens(), "batchgate.auth.tokens", problems);
        if (file != null) {
            fromFile = CallersFile.load(file, problems);
            loadedStamp = stamp(file);
        }
        if (!problems.isEmpty()) {
            throw new CallersMisconfiguredException("API callers are misconfigured", problems);
        }
        CallerConfigs.refuseDuplicateTokens(all(), problems);
        if (!problems.isEmpty()) {
            throw new CallersMisconfiguredException("API callers are misconfigured", problems);
        }
        if (all().isEmpty()) {
            throw new CallersMisconfiguredException(
                    "no API token is configured; batchgate refuses to start without one"
                            + " (set BATCHGATE_TOKEN, at least 12 characters, or batchgate.auth.callers-file)",
                    List.of());
        }
    }

    /** The caller a bearer token belongs to, or null. */
    public @Nullable Caller authenticate(String token) {
        return authenticateDigest(digestOf(token));
    }

    /** The SHA-256 of a token, as sessions keep it (the console never stores a token in clear). */
    public static byte[] digestOf(String token) {
        return CallerConfigs.sha256(token);
    }

    /**
     * The caller a token digest belongs to, or null: a console session is checked against the
     * callers in force on every request, so a token removed from the callers file signs it out.
     */
    public @Nullable Caller authenticateDigest(byte[] presented) {
        Caller match = null;
        for (KnownToken candidate : all()) {
            if (MessageDigest.isEqual(candidate.digest(), presented) && match == null) {
                match = candidate.caller();
            }
        }
        return match;
    }

    /** Re-reads the callers file if it changed; keeps the previous callers if it has errors. */
    public void reloadIfChanged() {
        if (file == null) {
            return;
        }
        String stamp = stamp(file);
        if (Objects.equals(stamp, loadedStamp)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        List<KnownToken> loaded = CallersFile.load(file, problems);
        if (problems.isEmpty()) {
            List<KnownToken> candidate = new ArrayList<>(configured);
            candidate.addAll(loaded);
            CallerConfigs.refuseDuplicateTokens(candidate, problems);
        }
        loadedStamp = stamp;
        if (!problems.isEmpty()) {
            fileErrors.increment();
            log.error(
                    "callers file {} refused, the callers loaded before stay in force:\n  {}",
                    file,
                    String.join("\n  ", problems));
            return;
        }
        fromFile = loaded;
        log.info("callers file {} loaded: {} tokens", file, loaded.size());
    }

    private List<KnownToken> all() {
        List<KnownToken> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        return all;
    }

    /**
     * The file's content digest: a modification time can stay the same across two writes (an
     * editor saving in two steps within the clock's granularity), its content cannot.
     */
    private static @Nullable String stamp(Path file) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return null;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token's digest and its caller. */
    record KnownToken(String name, byte[] digest, Caller caller, String origin) {}
}
