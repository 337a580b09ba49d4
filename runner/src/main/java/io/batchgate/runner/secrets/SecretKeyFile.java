package io.batchgate.runner.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The key file of the embedded default: one {@code id:base64} key a line, the first seals. Created
 * with one random key and mode 600 when missing; refused when group or others may read or write it,
 * since whoever reads it reads every active run's secrets.
 */
final class SecretKeyFile {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    private SecretKeyFile() {}

    static List<SecretSeal.Key> load(Path file, RandomGenerator random) {
        try {
            if (!Files.exists(file)) {
                create(file, random);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw new IllegalStateException("secret key file " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(permissions) + "): chmod 600 it");
            }
            List<SecretSeal.Key> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                if (colon < 1) {
                    throw new IllegalStateException("secret key file " + file + ": a line is 'id:base64-key'");
                }
                keys.add(new SecretSeal.Key(
                        trimmed.substring(0, colon), Base64.getDecoder().decode(trimmed.substring(colon + 1))));
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("secret key file " + file + " holds no key");
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret key file " + file, e);
        }
    }

    private static void create(Path file, RandomGenerator random) throws IOException {
        byte[] key = new byte[32];
        random.nextBytes(key);
        String line = "file-1:" + Base64.getEncoder().encodeToString(key) + "\n";
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, line, StandardCharsets.US_ASCII);
    }
}
