package io.batchgate.catalog.jp1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the text of one {@code ajsprint -a} file (the format {@code ajsdefine} reads):
 *
 * <pre>
 * unit=NAME,PERMISSION,JP1-USER,RESOURCE-GROUP;
 * {
 *     key=value;          values may be quoted: "a #"b#" ##c" is: a "b" #c
 *     unit=...;{ ... }    nested units
 * }
 * </pre>
 *
 * with {@code /* *}{@code /} comments between them. A syntax error stops the file; unknown unit types are all
 * reported. Every error carries {@code file:line:column}.
 */
final class AjsParser {

    private final String file;
    private final String text;
    private final List<InputError> errors = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int column = 1;

    private AjsParser(String file, String text) {
        this.file = file;
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The top-level units of the file; throws {@link InputException} with every error found. */
    static List<Unit> parse(String file, String text) {
        AjsParser parser = new AjsParser(file, text);
        List<Unit> units = new ArrayList<>();
        try {
            while (true) {
                parser.skipBlanksAndComments();
                if (parser.atEnd()) {
                    break;
                }
                if (parser.lookingAt("unit=")) {
                    parser.unit("").ifPresent(units::add);
                } else if (parser.peek() == '}') {
                    throw parser.fail(parser.line, parser.column, "unexpected '}' (no unit is open)");
                } else {
                    throw parser.fail(parser.line, parser.column, "expected unit=..., found " + parser.shownToken());
                }
            }
        } catch (Abort abort) {
            // the error is recorded; a syntax error leaves no reliable place to go on from
        }
        if (!parser.errors.isEmpty()) {
            throw new InputException(parser.errors);
        }
        return units;
    }

    private Optional<Unit> unit(String parentPath) {
        int unitLine = line;
        int unitColumn = column;
        advance("unit=".length());
        int attributesColumn = column;
        String attributes = untilSemicolon("unit=");
        List<String> parts = AjsValues.split(attributes);
        String name = AjsValues.unquote(parts.get(0)).trim();
        if (name.isEmpty()) {
            throw fail(unitLine, attributesColumn, "unit= has no unit name");
        }
        if (parts.size() > 4) {
            throw fail(
                    unitLine,
                    attributesColumn,
                    "unit= takes name,permission,JP1-user,resource-group; found " + parts.size() + " fields");
        }
        String path = parentPath + "/" + name;
        skipBlanksAndComments();
        if (atEnd() || peek() != '{') {
            throw fail(line, column, "expected '{' after unit=" + name + ", found " + shownToken());
        }
        int braceLine = line;
        int braceColumn = column;
        advance(1);
        List<UnitParam> params = new ArrayList<>();
        List<Optional<Unit>> children = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (atEnd()) {
                throw fail(braceLine, braceColumn, "'{' of unit " + path + " is never closed (missing '}')");
            }
            if (peek() == '}') {
                advance(1);
                break;
            }
            if (lookingAt("unit=")) {
                children.add(unit(path));
            } else {
                params.add(param());
            }
        }
        Optional<UnitType> type = type(path, params, unitLine, unitColumn);
        if (type.isEmpty() || children.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new Unit(
                name,
                part(parts, 1),
                part(parts, 2),
                part(parts, 3),
                type.get(),
                path,
                file,
                unitLine,
                unitColumn,
                params,
                children.stream().map(Optional::orElseThrow).toList()));
    }

    private Optional<UnitType> type(String path, List<UnitParam> params, int unitLine, int unitColumn) {
        UnitParam ty = null;
        for (UnitParam param : params) {
            if (param.key().equals("ty")) {
                ty = param;
            }
        }
        if (ty == null) {
            errors.add(new InputError(file, unitLine, unitColumn, "unit " + path + " has no ty= (unit type)"));
            return Optional.empty();
        }
        Optional<UnitType> type = UnitType.of(ty.text().trim());
        if (type.isEmpty()) {
            errors.add(new InputError(
                    file, ty.line(), ty.valueColumn(), "unknown unit type '" + ty.text() + "' of unit " + path));
        }
        return type;
    }

    private static String part(List<String> parts, int index) {
        return parts.size() > index ? AjsValues.unquote(parts.get(index)).trim() : "";
    }

    private UnitParam param() {
        int keyLine = line;
        int keyColumn = column;
        int start = pos;
        while (!atEnd() && isKeyChar(peek())) {
            advance(1);
        }
        String key = text.substring(start, pos);
        if (key.isEmpty()) {
            throw fail(keyLine, keyColumn, "expected key=value; or unit=, found " + shownToken());
        }
        if (atEnd() || peek() != '=') {
            throw fail(line, column, "expected '=' after " + key + ", found " + shownToken());
        }
        advance(1);
        int valueColumn = column;
        String raw = untilSemicolon(key + "=");
        return new UnitParam(key, raw.trim(), keyLine, keyColumn, valueColumn);
    }

    /** The text up to the next {@code ;} outside quotes (consumed); it must be on the same line. */
    private String untilSemicolon(String what) {
        int start = pos;
        int quoteLine = 0;
        int quoteColumn = 0;
        boolean quoted = false;
        while (true) {
            if (atEnd() || peek() == '\n' || peek() == '\r') {
                if (quoted) {
                    throw fail(quoteLine, quoteColumn, "unterminated string in " + what + " (no closing '\"')");
                }
                throw fail(line, column, what + " is not ended by ';'");
            }
            char c = peek();
            if (quoted && c == '#' && pos + 1 < text.length() && (next() == '"' || next() == '#')) {
                advance(2);
                continue;
            }
            if (c == '"') {
                if (!quoted) {
                    quoteLine = line;
                    quoteColumn = column;
                }
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                String value = text.substring(start, pos);
                advance(1);
                return value;
            }
            advance(1);
        }
    }

    private void skipBlanksAndComments() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                advance(1);
            } else if (lookingAt("/*")) {
                int commentLine = line;
                int commentColumn = column;
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw fail(commentLine, commentColumn, "comment is never closed (missing '*/')");
                }
                advance(end + 2 - pos);
            } else {
                return;
            }
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private String shownToken() {
        if (atEnd()) {
            return "the end of the file";
        }
        int end = pos;
        while (end < text.length() && end - pos < 20 && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private char next() {
        return text.charAt(pos + 1);
    }

    private boolean lookingAt(String prefix) {
        return text.startsWith(prefix, pos);
    }

    /** Moves on {@code n} characters, counting lines ({@code \r\n}, {@code \n} or a lone {@code \r}) and columns. */
    private void advance(int n) {
        for (int i = 0; i < n; i++) {
            char c = text.charAt(pos++);
            if (c == '\n' || (c == '\r' && (atEnd() || peek() != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r') {
                column++;
            }
        }
    }

    private Abort fail(int atLine, int atColumn, String message) {
        errors.add(new InputError(file, atLine, atColumn, message));
        return new Abort();
    }

    /** Unwinds the parse after a syntax error; the error itself is in {@link #errors}. */
    private static final class Abort extends RuntimeException {
        Abort() {
            super(null, null, false, false);
        }
    }
}
