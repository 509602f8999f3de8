package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSymlinkAtTheDatabasePathIsRefusedNamingItAndItsTargetIsNotWritten() throws Exception {
        Path target = Files.writeString(dir.resolve("shadow"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("vigil.db"), target);

        StoreException e = assertThrows(StoreException.class, () -> Database.open(link));

        assertTrue(e.getMessage().contains(link + ": is a symbolic link (to " + target + ")"), e.getMessage());
        assertEquals("precious\n", Files.readString(target));
    }

    @Test
    void aSymlinkWhereSqliteKeepsItsWalIsRefusedNamingIt() throws Exception {
        Database.open(dir.resolve("vigil.db")).close(); // which checkpoints its WAL and removes it
        Path target = Files.writeString(dir.resolve("shadow"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("vigil.db-wal"), target);

        StoreException e = assertThrows(StoreException.class, () -> Database.open(dir.resolve("vigil.db")));

        assertTrue(e.getMessage().contains(link + ": is a symbolic link"), e.getMessage());
        assertEquals("precious\n", Files.readString(target));
    }

    @Test
    void theDatabaseItsWalAndTheDirectoriesVigilMakesAreTheOwnersAlone() throws Exception {
        Database db = Database.open(dir.resolve("data/sub/vigil.db"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version(version) VALUES (0)");
            for (Path f : db.files().subList(0, 3)) {
                assertEquals("rw-------", mode(f), f.toString());
            }
        }
        assertEquals("rwx------", mode(dir.resolve("data")));
        assertEquals("rwx------", mode(dir.resolve("data/sub")));
    }

    @Test
    void anAppendedFileIsMadeOwnerOnlyAndASymlinkInItsPlaceIsRefused() throws Exception {
        Path file = dir.resolve("alerts.ndjson");
        try (FileChannel ch = PrivateFiles.openAppend(file)) {
            ch.write(ByteBuffer.wrap("a\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals("rw-------", mode(file));
        Path target = Files.writeString(dir.resolve("shadow"), "precious\n");
        Files.delete(file);
        Files.createSymbolicLink(file, target);

        Exception e = assertThrows(java.io.IOException.class, () -> PrivateFiles.openAppend(file).close());

        assertTrue(e.getMessage().contains(file + ": is a symbolic link (to " + target + ")"), e.getMessage());
        assertEquals("precious\n", Files.readString(target));
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
