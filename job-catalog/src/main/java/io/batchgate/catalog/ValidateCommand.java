package io.batchgate.catalog;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code validate <dir>}: checks a catalog directory, for the catalog repository's own CI. Prints every error, then
 * every warning, one per line to stderr; exits 0 if there are no errors, 1 if there are, 2 on a usage error.
 */
public final class ValidateCommand {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    private final CatalogLoader loader;

    ValidateCommand(CatalogLoader loader) {
        this.loader = loader;
    }

    public static void main(String[] args) {
        System.exit(new ValidateCommand(new CatalogLoader()).run(args, System.out, System.err));
    }

    /** Accepts {@code DIR} or {@code validate DIR}. */
    int run(String[] args, PrintStream out, PrintStream err) {
        String directory;
        if (args.length == 1 && !args[0].startsWith("-")) {
            directory = args[0];
        } else if (args.length == 2 && args[0].equals("validate")) {
            directory = args[1];
        } else {
            err.println("usage: validate <catalog-directory>");
            return USAGE;
        }
        CatalogLoader.Result result = loader.read(Path.of(directory));
        result.errors().forEach(err::println);
        result.warnings().forEach(warning -> err.println("warning: " + warning));
        if (result.catalog().isEmpty()) {
            err.println("catalog INVALID: " + count(result.errors().size(), "error") + ", "
                    + count(result.warnings().size(), "warning"));
            return INVALID;
        }
        Catalog catalog = result.catalog().get();
        out.println("catalog OK: " + catalog.jobs().size() + " jobs, "
                + catalog.nets().size() + " nets, version " + catalog.version());
        return OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
