package io.batchgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Every {@code batchgate.*} key is bound by a {@code @ConfigurationProperties} record, and the
 * README's property tables name exactly those keys: a key added to a record without a line in the
 * README (or a README line for a key nobody binds) fails here.
 */
class ConfigurationKeysTests {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("..");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER_WITH_DEFAULT = Pattern.compile("\\$\\{(batchgate\\.[a-z0-9.-]+):([^}]*)}");
    private static final Pattern KEY_IN_SOURCE = Pattern.compile("\"[!'$\\{]*(batchgate\\.[a-z0-9.-]+[a-z0-9])");

    @Test
    void theReadmeTablesNameEveryBoundKeyAndNoOther() throws IOException {
        Set<String> bound = boundKeys();
        Set<String> documented = readmeKeys();
        Set<String> missing = new TreeSet<>(bound);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(bound);
        assertThat(missing)
                .as("bound by a record but not in the README's property tables")
                .isEmpty();
        assertThat(extra)
                .as("in the README's property tables but bound by no record")
                .isEmpty();
    }

    /** The keys conditions and placeholders read, and those the bundled YAML sets, are bound keys. */
    @Test
    void everyKeyTheApplicationReadsOrSetsIsBound() throws IOException {
        Set<String> bound = boundKeys();
        Set<String> used = new TreeSet<>(keysInMainSources());
        for (String file : new String[] {"application.yaml", "application-aws.yaml"}) {
            for (var source : new YamlPropertySourceLoader().load(file, new ClassPathResource(file))) {
                for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                    if (name.startsWith("batchgate.")) {
                        // scopes[0]: a list of values is one key; tokens[0].name: a list of records
                        used.add(name.replaceAll("\\[\\d+]$", "").replaceAll("\\[\\d+]", "[i]"));
                    }
                }
            }
        }
        assertThat(used).isNotEmpty().isSubsetOf(bound);
    }

    /** Runner-only beans say {@code @ConditionalOnRunner}; the property is spelled in that annotation only. */
    @Test
    void theRunnerSwitchIsSpelledOnce() throws IOException {
        List<Path> spelling = new ArrayList<>();
        for (Path file : mainSources()) {
            if (Files.readString(file).contains("\"batchgate.runner.enabled\"")) {
                spelling.add(file.getFileName());
            }
        }
        assertThat(spelling).containsExactly(Path.of("ConditionalOnRunner.java"));
    }

    /** {@code ${batchgate.queue.name:batchgate-runs}} in an annotation must say the record's default. */
    @Test
    void placeholderDefaultsAreTheRecordsDefaults() throws IOException {
        Map<String, String> defaults = boundDefaults();
        Map<String, String> placeholders = new TreeMap<>();
        for (Path file : mainSources()) {
            Matcher matcher = PLACEHOLDER_WITH_DEFAULT.matcher(Files.readString(file));
            while (matcher.find()) {
                placeholders.put(matcher.group(1), matcher.group(2));
            }
        }
        assertThat(placeholders).isNotEmpty();
        placeholders.forEach((key, value) -> {
            if (defaults.get(key) != null) {
                assertThat(value).as(key).isEqualTo(defaults.get(key));
            }
        });
    }

    /**
     * The README's table of the {@code aws} profile names every key {@code application-aws.yaml}
     * sets and every environment variable it reads, and its {@code batchgate.*} keys are bound ones.
     */
    @Test
    void theAwsTableNamesEveryKeyAndVariableOfTheAwsProfile() throws IOException {
        Set<String> profileKeys = new TreeSet<>();
        for (var source : new YamlPropertySourceLoader()
                .load("application-aws.yaml", new ClassPathResource("application-aws.yaml"))) {
            for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                profileKeys.add(name.replaceAll("\\[\\d+]$", "").replaceAll("\\[\\d+]", "[i]"));
            }
        }
        Set<String> profileVariables = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)")
                .matcher(new String(
                        new ClassPathResource("application-aws.yaml")
                                .getInputStream()
                                .readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
        while (placeholder.find()) {
            profileVariables.add(placeholder.group(1));
        }
        assertThat(profileKeys).contains("batchgate.queue.embedded", "spring.datasource.url");
        assertThat(profileVariables).contains("BATCHGATE_DB_URL", "BATCHGATE_SECRETS_KEY");

        Set<String> tableKeys = new TreeSet<>();
        Set<String> tableVariables = new TreeSet<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(README)) {
            if (line.replace(" ", "").equals("|property|environmentvariable|defaultin`aws`|whatitisfor|")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            tableKeys.addAll(names(cells[1]));
            tableVariables.addAll(names(cells[2]));
        }
        assertThat(tableKeys)
                .as("the README's table of the aws profile (section \"Running on AWS\")")
                .containsAll(profileKeys);
        assertThat(tableVariables).containsAll(profileVariables);
        Set<String> unbound = new TreeSet<>(tableKeys);
        unbound.removeIf(key -> !key.startsWith("batchgate."));
        unbound.removeAll(boundKeys());
        assertThat(unbound)
                .as("batchgate keys in the aws table that no record binds")
                .isEmpty();
    }

    /** The backticked names of a cell; {@code `a.b.c` / `.d`} is {@code a.b.c} and {@code a.b.d}. */
    private static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        String stem = null;
        Matcher matcher = BACKTICKED.matcher(cell);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.startsWith(".") && stem != null) {
                names.add(stem + name);
            } else {
                names.add(name);
                stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : null;
            }
        }
        return names;
    }

    @Test
    void theRecordsAreFound() {
        assertThat(boundKeys())
                .contains(
                        "batchgate.data-dir",
                        "batchgate.runner.enabled",
                        "batchgate.runtime.default",
                        "batchgate.auth.tokens[i].token-sha256",
                        "batchgate.auth.tokens[i].trigger-rate.per-second",
                        "batchgate.monitor.management.api-key",
                        "batchgate.launch.infra-retry.max-tries");
    }

    static Set<String> boundKeys() {
        return boundDefaults().keySet();
    }

    /** Every bound key, with its {@code @DefaultValue} (null: none). */
    static Map<String, String> boundDefaults() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, String> keys = new TreeMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.batchgate")) {
            Class<?> type = ClassUtils.resolveClassName(
                    candidate.getBeanClassName(), ConfigurationKeysTests.class.getClassLoader());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            assertThat(type.isRecord()).as(type + " is a record").isTrue();
            collect(prefix, type, keys);
        }
        return keys;
    }

    /** Relaxed names in kebab case; nested records flattened, lists of records as {@code [i]}. */
    private static void collect(String prefix, Class<?> record, Map<String, String> keys) {
        RecordComponent[] components = record.getRecordComponents();
        Parameter[] parameters = canonicalConstructor(record).getParameters();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            // @Name targets parameters: it is on the canonical constructor's, not on the component
            Name name = parameters[i].getAnnotation(Name.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(component.getName()));
            Class<?> type = component.getType();
            if (type.isRecord()) {
                collect(key, type, keys);
            } else if (Collection.class.isAssignableFrom(type)
                    && elementType(component.getGenericType()) instanceof Class<?> element
                    && element.isRecord()) {
                collect(key + "[i]", element, keys);
            } else {
                DefaultValue value = parameters[i].getAnnotation(DefaultValue.class);
                keys.put(key, value == null ? null : String.join(",", value.value()));
            }
        }
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) {
        try {
            return record.getDeclaredConstructor(Arrays.stream(record.getRecordComponents())
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Type elementType(Type type) {
        return type instanceof ParameterizedType parameterized
                ? parameterized.getActualTypeArguments()[0]
                : Object.class;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The first column of every table headed {@code | property | default | meaning |}. A cell names
     * one key or several: {@code `batchgate.wait.max` / `.tick`} is {@code batchgate.wait.max} and
     * {@code batchgate.wait.tick} (a name starting with a dot replaces the first key's last part).
     */
    static Set<String> readmeKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(README)) {
            if (line.replace(" ", "").equals("|property|default|meaning|")) {
                inTable = true;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable) {
                continue;
            }
            String firstCell = line.substring(1, line.indexOf('|', 1));
            String stem = null;
            Matcher matcher = BACKTICKED.matcher(firstCell);
            while (matcher.find()) {
                String name = matcher.group(1);
                if (name.startsWith("batchgate.")) {
                    keys.add(name);
                    stem = name.substring(0, name.lastIndexOf('.'));
                } else if (name.startsWith(".") && stem != null) {
                    keys.add(stem + name);
                }
            }
        }
        return keys;
    }

    private static Set<String> keysInMainSources() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path file : mainSources()) {
            for (String line : Files.readAllLines(file)) {
                if (line.contains("@Conditional") || line.contains("@SqsListener") || line.contains("${")) {
                    Matcher matcher = KEY_IN_SOURCE.matcher(line);
                    while (matcher.find()) {
                        keys.add(matcher.group(1));
                    }
                }
            }
        }
        return keys;
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String module : new String[] {"runner", "gateway"}) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        return sources;
    }
}
