package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Run by {@link BaselineStagingTest} in a JVM of its own: stages {@code args[2]} rows below {@code args[1]} in the
 * database {@code args[0]}, says "staged" and waits for its standard input to end, so the test can kill it mid-run.
 */
public final class StagingProbe {

    private StagingProbe() {
    }

    public static void main(String[] args) throws Exception {
        SqliteBaseline store = new SqliteBaseline(Database.open(Path.of(args[0])));
        try (BaselineStore.Snapshot snapshot = store.newSnapshot()) {
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                byte[] path = (args[1] + "/f" + i).getBytes(StandardCharsets.UTF_8);
                snapshot.add(new FileRecord(path, EntryType.FILE, i, 0644, 0, 0, i, 1, 1, 0, 0, null, null, null, null));
            }
            snapshot.finish();
            System.out.println("staged");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
