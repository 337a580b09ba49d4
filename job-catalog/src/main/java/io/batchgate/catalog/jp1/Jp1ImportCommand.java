package io.batchgate.catalog.jp1;

import io.batchgate.catalog.CatalogLoader;
import io.batchgate.catalog.jp1.ImportedCatalog.Calendar;
import io.batchgate.catalog.jp1.ImportedCatalog.Job;
import io.batchgate.catalog.jp1.ImportedCatalog.Net;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code jp1-import [options] FILE...}: reads {@code ajsprint -a} files and writes a catalog directory plus
 * {@code import-report.md} and {@code import-report.json}. Exits 0 when everything was moved, 1 when the report lists
 * units or fields that were not (or only in part), 2 when an input cannot be read (nothing is written then) or on a
 * usage error.
 */
public final class Jp1ImportCommand {

    static final int ALL_MAPPED = 0;
    static final int INCOMPLETE = 1;
    static final int UNREADABLE = 2;

    static final String USAGE = """
            usage: jp1-import [--out DIR] [--encoding UTF-8|Shift_JIS|...] [--time-zone ZONE]
                              [--ecs-cluster CLUSTER --task-definition FAMILY[:REV] [--container NAME]]
                              [--jobs-only] AJSPRINT_FILE...
              --out DIR          the catalog directory to write (default: jp1-catalog)
              --encoding ENC     the files' encoding (default: UTF-8 if valid, else Shift_JIS/windows-31j)
              --time-zone ZONE   the JP1 manager's time zone for schedules (default: Asia/Tokyo)
              --ecs-*            also give every job an ecs target running the same command
              --jobs-only        write only jobs (no nets, schedules, calendars)""";

    public static void main(String[] args) {
        System.exit(new Jp1ImportCommand().run(args, System.out, System.err));
    }

    /** Runs the import as {@code scripts/jp1-import} does; returns its exit code. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Path outDir = Path.of("jp1-catalog");
        Optional<Charset> encoding = Optional.empty();
        Optional<String> cluster = Optional.empty();
        Optional<String> taskDefinition = Optional.empty();
        String container = "app";
        String zone = Options.defaults().timeZone();
        boolean jobsOnly = false;
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--out" -> outDir = Path.of(value(args, ++i, arg));
                    case "--encoding" -> encoding = Optional.of(charset(value(args, ++i, arg)));
                    case "--time-zone" -> zone = zone(value(args, ++i, arg));
                    case "--ecs-cluster" -> cluster = Optional.of(value(args, ++i, arg));
                    case "--task-definition" -> taskDefinition = Optional.of(value(args, ++i, arg));
                    case "--container" -> container = value(args, ++i, arg);
                    case "--jobs-only" -> jobsOnly = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return ALL_MAPPED;
                    }
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        files.add(Path.of(arg));
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no ajsprint file given");
            }
            if (cluster.isPresent() != taskDefinition.isPresent()) {
                throw new IllegalArgumentException("--ecs-cluster and --task-definition go together");
            }
        } catch (IllegalArgumentException e) {
            err.println("jp1-import: " + e.getMessage());
            err.println(USAGE);
            return UNREADABLE;
        }
        Options options = new Options(cluster, taskDefinition, container, zone);
        List<Unit> units = new ArrayList<>();
        List<ReportWriter.Input> inputs = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        for (Path file : files) {
            String name = file.toString();
            try {
                AjsText text = AjsText.decode(name, Files.readAllBytes(file), encoding);
                inputs.add(new ReportWriter.Input(
                        name,
                        text.charset().equals(AjsText.SHIFT_JIS)
                                ? "Shift_JIS (windows-31j)"
                                : text.charset().name()));
                units.addAll(AjsParser.parse(name, text.text()));
            } catch (IOException e) {
                errors.add(new InputError(name, 0, 0, "cannot read: " + e));
            } catch (InputException e) {
                errors.addAll(e.errors());
            }
        }
        Jp1Importer.Result result;
        try {
            if (!errors.isEmpty()) {
                throw new InputException(errors);
            }
            result = new Jp1Importer(options).map(units);
        } catch (InputException e) {
            e.errors().forEach(err::println);
            err.println("jp1-import: nothing written (" + e.errors().size() + " error"
                    + (e.errors().size() == 1 ? "" : "s") + " in the input)");
            return UNREADABLE;
        }
        try {
            Map<String, Integer> written = write(result.catalog(), options, outDir, jobsOnly, inputs);
            List<String> problems = selfCheck(result.catalog(), options, jobsOnly);
            problems.forEach(problem -> err.println("jp1-import: the written catalog does not load: " + problem));
            int exitCode = result.report().incomplete() || !problems.isEmpty() ? INCOMPLETE : ALL_MAPPED;
            ReportWriter reports = new ReportWriter();
            Files.writeString(
                    outDir.resolve("import-report.md"),
                    reports.markdown(result.report(), inputs, written, exitCode, options.timeZone()),
                    StandardCharsets.UTF_8);
            Files.writeString(
                    outDir.resolve("import-report.json"),
                    reports.json(result.report(), inputs, written, exitCode, options.timeZone()),
                    StandardCharsets.UTF_8);
            long notMoved = result.report().findings().stream()
                    .filter(f -> f.severity() != ImportReport.Severity.IGNORED)
                    .count();
            out.println("jp1-import: wrote " + written + " to " + outDir + "; " + notMoved
                    + " item(s) not moved or moved in part: see " + outDir.resolve("import-report.md"));
            return exitCode;
        } catch (IOException e) {
            err.println("jp1-import: cannot write " + outDir + ": " + e);
            return UNREADABLE;
        }
    }

    /** Writes the catalog files; returns what it wrote, by kind, for the report. */
    static Map<String, Integer> write(
            ImportedCatalog catalog, Options options, Path outDir, boolean jobsOnly, List<ReportWriter.Input> inputs)
            throws IOException {
        Files.createDirectories(outDir);
        String header = header(inputs);
        for (Map.Entry<String, String> file : jobFiles(catalog, options, header).entrySet()) {
            Files.writeString(outDir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        Map<String, Integer> written = new LinkedHashMap<>();
        written.put("jobs", catalog.jobs().size());
        if (jobsOnly) {
            return written;
        }
        Map<String, List<Net>> netsByFile = new TreeMap<>();
        catalog.nets().forEach(net -> netsByFile
                .computeIfAbsent(net.file(), f -> new ArrayList<>())
                .add(net));
        NetYamlWriter netWriter = new NetYamlWriter(new ScheduleYamlWriter());
        for (Map.Entry<String, List<Net>> file : netsByFile.entrySet()) {
            Files.writeString(
                    outDir.resolve(file.getKey() + ".net.yaml"),
                    netWriter.write(file.getValue(), header),
                    StandardCharsets.UTF_8);
        }
        written.put("nets", catalog.nets().size());
        written.put("schedules", (int)
                catalog.nets().stream().filter(n -> n.schedule().isPresent()).count());
        CalendarYamlWriter calendarWriter = new CalendarYamlWriter();
        if (!catalog.calendars().isEmpty()) {
            Files.createDirectories(outDir.resolve("calendars"));
        }
        for (Calendar calendar : catalog.calendars()) {
            Files.writeString(
                    outDir.resolve("calendars").resolve(calendar.name() + ".yaml"),
                    calendarWriter.write(calendar, header),
                    StandardCharsets.UTF_8);
        }
        written.put("calendars", catalog.calendars().size());
        return written;
    }

    static String header(List<ReportWriter.Input> inputs) {
        return "# Imported from JP1/AJS3 by scripts/jp1-import ("
                + String.join(
                        ", ",
                        inputs.stream()
                                .map(i -> Path.of(i.file()).getFileName().toString())
                                .toList())
                + ").\n# What was not moved is listed in import-report.md.\n";
    }

    /** The job files, by file name: one per root jobnet. */
    static SortedMap<String, String> jobFiles(ImportedCatalog catalog, Options options, String header) {
        Map<String, List<Job>> jobsByFile = new TreeMap<>();
        catalog.jobs().forEach(job -> jobsByFile
                .computeIfAbsent(job.file(), f -> new ArrayList<>())
                .add(job));
        JobYamlWriter jobWriter = new JobYamlWriter(options);
        SortedMap<String, String> files = new TreeMap<>();
        jobsByFile.forEach((file, jobs) -> files.put(file + ".yaml", jobWriter.write(jobs, header)));
        return files;
    }

    /**
     * Loads what was written (the jobs; unless {@code jobsOnly} also the nets with their schedules and the calendars)
     * with the catalog's own loader: a problem there is a bug of the import or a bad option (an ECS task definition
     * the catalog refuses), and must not wait for the catalog's CI to be found.
     */
    static List<String> selfCheck(ImportedCatalog catalog, Options options, boolean jobsOnly) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        jobFiles(catalog, options, "").forEach((name, text) -> files.put(name, text.getBytes(StandardCharsets.UTF_8)));
        if (files.isEmpty()) {
            return List.of();
        }
        if (!jobsOnly) {
            Map<String, List<Net>> netsByFile = new TreeMap<>();
            catalog.nets().forEach(net -> netsByFile
                    .computeIfAbsent(net.file(), f -> new ArrayList<>())
                    .add(net));
            NetYamlWriter netWriter = new NetYamlWriter(new ScheduleYamlWriter());
            netsByFile.forEach((file, nets) ->
                    files.put(file + ".net.yaml", netWriter.write(nets, "").getBytes(StandardCharsets.UTF_8)));
            CalendarYamlWriter calendarWriter = new CalendarYamlWriter();
            for (Calendar calendar : catalog.calendars()) {
                files.put(
                        "calendars/" + calendar.name() + ".yaml",
                        calendarWriter.write(calendar, "").getBytes(StandardCharsets.UTF_8));
            }
        }
        return new CatalogLoader()
                .parse(files, "jp1-import").errors().stream()
                        .map(Object::toString)
                        .toList();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Charset charset(String name) {
        try {
            return name.equalsIgnoreCase("Shift_JIS") || name.equalsIgnoreCase("sjis")
                    ? AjsText.SHIFT_JIS
                    : Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown encoding " + name);
        }
    }

    private static String zone(String name) {
        try {
            return ZoneId.of(name).getId();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone " + name);
        }
    }
}
