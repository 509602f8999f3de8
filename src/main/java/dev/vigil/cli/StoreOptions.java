package dev.vigil.cli;

import dev.vigil.store.Database;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that touches the database shares. */
public final class StoreOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file read over config/vigil.properties of the install directory: only the keys it sets count.")
    Path config;

    @Option(names = "--db", paramLabel = "FILE", description = "SQLite database (default: vigil.database from the config, data/vigil.db).")
    Path db;

    private VigilHome home;

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

    public Database open() {
        return Database.open(home().database());
    }
}
