package io.batchgate.catalog;

import java.util.List;

/** Collects the errors and warnings of one catalog file into the load's shared lists. */
record Problems(String file, List<CatalogProblem> errors, List<CatalogProblem> warnings) {

    void error(int line, String field, String message) {
        errors.add(new CatalogProblem(file, line, field, message));
    }

    void warning(int line, String field, String message) {
        warnings.add(new CatalogProblem(file, line, field, message));
    }

    int errorCount() {
        return errors.size();
    }
}
