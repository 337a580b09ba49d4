package io.batchgate.catalog;

import java.util.List;

/** A YAML node that remembers the 1-based line it starts on, built by {@link YamlTree}. */
sealed interface LocatedNode permits LocatedNode.Scalar, LocatedNode.Sequence, LocatedNode.Mapping {

    int line();

    /** How the node is named in "must be X, found Y" messages. */
    String describe();

    /** The YAML 1.2 JSON-schema type a scalar resolved to: {@code 4} is an INT, {@code "4"} a STRING. */
    enum Kind {
        STRING,
        INT,
        FLOAT,
        BOOL,
        NULL
    }

    record Scalar(Kind kind, String text, int line) implements LocatedNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "'" + Shown.text(text) + "'";
                case INT -> "integer " + text;
                case FLOAT -> "number " + Shown.text(text);
                case BOOL -> "boolean " + text;
                case NULL -> "nothing";
            };
        }
    }

    record Sequence(List<LocatedNode> items, int line) implements LocatedNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    record Mapping(List<Entry> entries, int line) implements LocatedNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A key (always a string here) with the line it is written on, and its value. */
    record Entry(String key, int keyLine, LocatedNode value) {}

    /** Values quoted in messages are cut short: messages are for one log line. */
    final class Shown {
        private static final int LIMIT = 40;

        private Shown() {}

        static String text(String text) {
            return text.length() > LIMIT ? text.substring(0, LIMIT) + "..." : text;
        }
    }
}
