package dev.vigil.cli;

import dev.vigil.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that touches the database shares. */
public final class StoreOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file read over config/vigil.properties of the install directory: only the keys it sets count.")
    Path config;

    @Option(names = "--db", paramLabel = "FILE", description = "SQLite database (default: vigil.database from the config, data/vigil.db).")
    Path db;

    private VigilHome home;
    private Database opened;

    public VigilHome home() {
        if (home == null) {
            home = VigilHome.load(config);
            home.requireValid();
            if (db != null) {
                home.useDatabase(db);
            }
        }
        return home;
    }

    /** The command's database, opened (and migrated) at the first call; {@link #closeOpened} closes it when the command ends. */
    public Database open() {
        if (opened == null) {
            opened = Database.open(home().database());
        }
        return opened;
    }

    /**
     * Closes the databases the commands of {@code parsed} opened, so that none ends with its writes in a WAL
     * beside the file (a copy of the file alone would miss them), whether it succeeded or failed.
     */
    static void closeOpened(CommandLine.ParseResult parsed) {
        for (CommandLine command : parsed.asCommandLineList()) {
            for (CommandLine.Model.CommandSpec mixin : command.getCommandSpec().mixins().values()) {
                if (mixin.userObject() instanceof StoreOptions store && store.opened != null) {
                    store.opened.close();
                }
            }
        }
    }
}
