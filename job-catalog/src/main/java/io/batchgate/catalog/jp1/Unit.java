package io.batchgate.catalog.jp1;

import java.util.List;
import java.util.Optional;

/**
 * One unit of an {@code ajsprint -a} file: {@code unit=name,permission,JP1-user,resource-group;} and its braces.
 *
 * @param path the unit's path from the top of its file, {@code /GROUP/NET/JOB}
 * @param params in file order (keys may repeat: {@code env}, {@code ar}, {@code sd}, ...)
 * @param children the units nested in its braces, in file order
 */
public record Unit(
        String name,
        String permission,
        String owner,
        String resourceGroup,
        UnitType type,
        String path,
        String file,
        int line,
        int column,
        List<UnitParam> params,
        List<Unit> children) {

    public Unit {
        params = List.copyOf(params);
        children = List.copyOf(children);
    }

    /** The last {@code key=} of the unit (ajsdefine takes the last one of a non-repeatable key). */
    public Optional<UnitParam> param(String key) {
        UnitParam found = null;
        for (UnitParam param : params) {
            if (param.key().equals(key)) {
                found = param;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<UnitParam> all(String key) {
        return params.stream().filter(p -> p.key().equals(key)).toList();
    }

    public Optional<Unit> child(String name) {
        return children.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** {@code file:line}, how the report points at the unit. */
    public String where() {
        return file + ":" + line;
    }
}
