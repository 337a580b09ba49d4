package io.batchgate.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** A catalog that cannot be loaded, with every problem found (not just the first). */
public class CatalogException extends RuntimeException {

    private final List<CatalogProblem> problems;

    public CatalogException(List<CatalogProblem> problems) {
        super(problems.stream().map(CatalogProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a CatalogException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<CatalogProblem> problems() {
        return problems;
    }
}
