package io.batchgate.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Parses one YAML document into {@link LocatedNode}s. SnakeYAML Engine's composer keeps a mark on every node, which a
 * Jackson {@code JsonNode} tree would drop. Syntax errors and duplicate keys become problems, not exceptions.
 */
final class YamlTree {

    static final String SYNTAX_FIELD = "(yaml)";

    private YamlTree() {}

    /**
     * The document's root node; a null scalar for an empty document (comments only); empty if the YAML is malformed
     * (then a problem was reported).
     */
    static Optional<LocatedNode> parse(String content, Problems problems) {
        // The JSON schema resolves only true/false, null, and JSON-style numbers: "yes", "on" and 0x1F stay strings.
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new JsonSchema())
                .setLabel(problems.file())
                .setAllowRecursiveKeys(false)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(content);
        } catch (MarkedYamlEngineException e) {
            int line =
                    e.getProblemMark().or(e::getContextMark).map(YamlTree::line).orElse(1);
            problems.error(line, SYNTAX_FIELD, syntaxMessage(e));
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.error(1, SYNTAX_FIELD, firstLine(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
        return Optional.of(root.map(node -> new Converter(problems).convert(node, "(document)"))
                .orElseGet(() -> new LocatedNode.Scalar(LocatedNode.Kind.NULL, "", 1)));
    }

    /** "while scanning a quoted scalar at line 3: found unexpected end of stream": where it began, what went wrong. */
    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = e.getProblem();
        if (problem == null || problem.isBlank()) {
            return firstLine(String.valueOf(e.getMessage()));
        }
        String context = e.getContext();
        if (context == null || context.isBlank()) {
            return problem;
        }
        return context
                + e.getContextMark().map(mark -> " at line " + line(mark)).orElse("") + ": " + problem;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static int line(Mark mark) {
        return mark.getLine() + 1;
    }

    private static int line(Node node) {
        return node.getStartMark().map(YamlTree::line).orElse(1);
    }

    private static final class Converter {

        private final Problems problems;
        // Aliases can make a node its own descendant; the path guards the recursion.
        private final Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(Problems problems) {
            this.problems = problems;
        }

        LocatedNode convert(Node node, String field) {
            if (!path.add(node)) {
                problems.error(line(node), field, "recursive alias");
                return new LocatedNode.Scalar(LocatedNode.Kind.NULL, "", line(node));
            }
            try {
                if (node instanceof ScalarNode scalar) {
                    return new LocatedNode.Scalar(kind(scalar), scalar.getValue(), line(node));
                }
                if (node instanceof SequenceNode sequence) {
                    List<LocatedNode> items = new ArrayList<>();
                    List<Node> values = sequence.getValue();
                    for (int i = 0; i < values.size(); i++) {
                        items.add(convert(values.get(i), field + "[" + i + "]"));
                    }
                    return new LocatedNode.Sequence(items, line(node));
                }
                return convertMapping((MappingNode) node, field);
            } finally {
                path.remove(node);
            }
        }

        private LocatedNode convertMapping(MappingNode mapping, String field) {
            List<LocatedNode.Entry> entries = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                int keyLine = line(keyNode);
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.error(keyLine, field, "keys must be plain strings, found a " + describe(keyNode));
                    continue;
                }
                String key = scalarKey.getValue();
                String keyField = field.equals("(document)") ? key : field + "." + key;
                Integer first = seen.putIfAbsent(key, keyLine);
                if (first != null) {
                    problems.error(keyLine, keyField, "duplicate key, first defined at line " + first);
                    continue;
                }
                entries.add(new LocatedNode.Entry(key, keyLine, convert(tuple.getValueNode(), keyField)));
            }
            return new LocatedNode.Mapping(entries, line(mapping));
        }

        private static String describe(Node node) {
            return node instanceof SequenceNode ? "list" : "mapping";
        }

        private static LocatedNode.Kind kind(ScalarNode scalar) {
            Tag tag = scalar.getTag();
            if (tag.equals(Tag.INT)) {
                return LocatedNode.Kind.INT;
            } else if (tag.equals(Tag.FLOAT)) {
                return LocatedNode.Kind.FLOAT;
            } else if (tag.equals(Tag.BOOL)) {
                return LocatedNode.Kind.BOOL;
            } else if (tag.equals(Tag.NULL)) {
                return LocatedNode.Kind.NULL;
            }
            return LocatedNode.Kind.STRING;
        }
    }
}
