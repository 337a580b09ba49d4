package io.batchgate.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One scrape of {@code /actuator/prometheus}, parsed from the text format into samples. */
public record PrometheusScrape(List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {}

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inside = line.substring(brace + 1, line.lastIndexOf('}'));
                // label values here never contain '",' (job names, codes, statuses)
                for (String pair : inside.split("\",")) {
                    if (pair.isBlank()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String value = pair.substring(eq + 1).replaceAll("^\"|\"$", "");
                    labels.put(pair.substring(0, eq), value);
                }
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new PrometheusScrape(List.copyOf(samples));
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    /** Whether any sample is named {@code name} and has all of {@code labels}. */
    public boolean has(String name, Map<String, String> labels) {
        return samples.stream()
                .anyMatch(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()));
    }

    /** The metric names, with the {@code _bucket}/{@code _count}/{@code _sum} samples of histograms. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The values the label {@code label} takes in samples named {@code name}. */
    public Set<String> labelValues(String name, String label) {
        Set<String> values = new TreeSet<>();
        samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().containsKey(label))
                .forEach(s -> values.add(s.labels().get(label)));
        return values;
    }
}
