package io.batchgate.runner.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The sample catalog that ships inside the job-catalog jar, copied to a directory so the embedded
 * default loads it like any other catalog (and a user can look at the files it runs).
 */
final class BundledSampleCatalog {

    private static final String LOCATION = "classpath*:batchgate/sample-catalog/*.y*ml";
    /** The calendars of its schedules, in their own directory as in any catalog. */
    private static final String CALENDARS = "classpath*:batchgate/sample-catalog/calendars/*.y*ml";

    private BundledSampleCatalog() {}

    /** Copies the bundled files into {@code target} (replacing older copies) and returns it. */
    public static Path extractTo(Path target) {
        try {
            Files.createDirectories(target);
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources(LOCATION);
            if (resources.length == 0) {
                throw new IllegalStateException("the sample catalog is missing from the classpath (" + LOCATION + ")");
            }
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, target.resolve(resource.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path calendars = Files.createDirectories(target.resolve("calendars"));
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(CALENDARS)) {
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, calendars.resolve(resource.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the sample catalog to " + target, e);
        }
    }
}
