package io.batchgate.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads a catalog directory: every {@code *.yaml} and {@code *.yml} file in it (not in subdirectories), in file-name
 * order. Reports every problem of every file at once.
 */
public final class CatalogLoader {

    static final String DIRECTORY_FIELD = "(catalog)";
    private static final Comparator<CatalogProblem> BY_PLACE =
            Comparator.comparing(CatalogProblem::file).thenComparingInt(CatalogProblem::line);

    private final CatalogVersion version;

    public CatalogLoader() {
        this.version = new CatalogVersion();
    }

    /** Throws {@link CatalogException} with all errors; warnings go into {@link Catalog#warnings()}. */
    public Catalog load(Path directory) {
        Result result = read(directory);
        if (!result.errors().isEmpty()) {
            throw new CatalogException(result.errors());
        }
        return result.catalog().orElseThrow();
    }

    /**
     * Errors and warnings, sorted by file and line, the catalog if there are no errors, and the files it was read from
     * (name to content), which parse again into the same catalog with {@link #parse}.
     */
    public record Result(
            List<CatalogProblem> errors,
            List<CatalogProblem> warnings,
            Optional<Catalog> catalog,
            SortedMap<String, byte[]> files) {}

    /** Reads the directory without throwing: a reload keeps the previous catalog on errors. */
    public Result read(Path directory) {
        List<CatalogProblem> errors = new ArrayList<>();
        SortedMap<String, byte[]> files = listFiles(directory, errors);
        if (!errors.isEmpty()) {
            return new Result(errors, List.of(), Optional.empty(), files);
        }
        return parse(files, version.of(directory, files));
    }

    /** Parses files (name to content) stored earlier under {@code catalogVersion}. */
    public Result parse(SortedMap<String, byte[]> files, String catalogVersion) {
        List<CatalogProblem> errors = new ArrayList<>();
        List<CatalogProblem> warnings = new ArrayList<>();
        Map<String, String> defined = new HashMap<>();
        Map<String, String> definedNets = new HashMap<>();
        Map<String, JobDefinition> jobs = new LinkedHashMap<>();
        Map<String, NetDefinition> nets = new LinkedHashMap<>();
        Map<String, BusinessCalendar> calendars = new HashMap<>();
        files.forEach((name, content) -> CalendarReader.calendarName(name).ifPresent(calendar -> {
            Problems problems = new Problems(name, errors, warnings);
            decode(content, problems)
                    .flatMap(text -> YamlTree.parse(text, problems))
                    .flatMap(root -> CalendarReader.read(calendar, root, problems))
                    .ifPresent(read -> calendars.put(calendar, read));
        }));
        files.forEach((name, content) -> {
            if (CalendarReader.calendarName(name).isPresent()) {
                return;
            }
            Problems problems = new Problems(name, errors, warnings);
            decode(content, problems)
                    .flatMap(text -> YamlTree.parse(text, problems))
                    .ifPresent(root -> {
                        JobDefinitionReader reader = new JobDefinitionReader(problems, defined, definedNets, calendars);
                        reader.read(root).forEach(job -> jobs.put(job.name(), job));
                        reader.nets().forEach(net -> nets.put(net.name(), net));
                    });
        });
        if (errors.isEmpty()) {
            NetDefinitionReader.checkTargets(nets, jobs, errors);
        }
        errors.sort(BY_PLACE);
        warnings.sort(BY_PLACE);
        if (!errors.isEmpty()) {
            return new Result(errors, warnings, Optional.empty(), files);
        }
        return new Result(errors, warnings, Optional.of(new Catalog(catalogVersion, jobs, nets, warnings)), files);
    }

    private static SortedMap<String, byte[]> listFiles(Path directory, List<CatalogProblem> errors) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        String where = directory.toString();
        if (!Files.isDirectory(directory)) {
            errors.add(new CatalogProblem(
                    where,
                    0,
                    DIRECTORY_FIELD,
                    Files.exists(directory) ? "not a directory" : "directory does not exist"));
            return files;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.filter(CatalogLoader::isCatalogFile).toList()) {
                String name = file.getFileName().toString();
                try {
                    files.put(name, Files.readAllBytes(file));
                } catch (IOException e) {
                    errors.add(new CatalogProblem(name, 0, DIRECTORY_FIELD, "cannot read file: " + e));
                }
            }
        } catch (IOException e) {
            errors.add(new CatalogProblem(where, 0, DIRECTORY_FIELD, "cannot list directory: " + e));
            return files;
        }
        // calendars/<name>.yaml: business-day calendars for schedules
        Path calendars = directory.resolve(CalendarReader.DIRECTORY);
        if (Files.isDirectory(calendars)) {
            try (Stream<Path> entries = Files.list(calendars)) {
                for (Path file : entries.filter(CatalogLoader::isCatalogFile).toList()) {
                    String name = CalendarReader.DIRECTORY + file.getFileName();
                    try {
                        files.put(name, Files.readAllBytes(file));
                    } catch (IOException e) {
                        errors.add(new CatalogProblem(name, 0, DIRECTORY_FIELD, "cannot read file: " + e));
                    }
                }
            } catch (IOException e) {
                errors.add(new CatalogProblem(calendars.toString(), 0, DIRECTORY_FIELD, "cannot list directory: " + e));
            }
        }
        if (files.isEmpty() && errors.isEmpty()) {
            errors.add(new CatalogProblem(where, 0, DIRECTORY_FIELD, "no *.yaml or *.yml files in the directory"));
        }
        return files;
    }

    private static boolean isCatalogFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(file);
    }

    /** Strict UTF-8: a catalog in another encoding would otherwise load with replacement characters. */
    private static Optional<String> decode(byte[] content, Problems problems) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (CharacterCodingException e) {
            problems.error(1, YamlTree.SYNTAX_FIELD, "file is not valid UTF-8");
            return Optional.empty();
        }
    }
}
