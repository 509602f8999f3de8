package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickKeyTest {

    private static final byte[] PATH = "/etc/passwd".getBytes(StandardCharsets.UTF_8);

    private static FileRecord file(long size, int mode, int uid, int gid, long inode, long device, long links,
                                   long mtime, long ctime) {
        return new FileRecord(PATH, EntryType.FILE, size, mode, uid, gid, inode, device, links, mtime, ctime, null,
                "ab".repeat(32), null, null);
    }

    private static final FileRecord BASE = file(10, 0100644, 1, 2, 3, 4, 5, 6, 7);

    @Test
    void aWalkedRecordWithTheRowsStatValuesMatchesItsKeyWithoutAHash() {
        FileRecord walked = BASE.withHash(null, null);
        assertTrue(QuickKey.matches(QuickKey.of(BASE), walked));
    }

    @Test
    void anyStatValueChangedIsAMismatch() {
        byte[] key = QuickKey.of(BASE);
        List<UnaryOperator<FileRecord>> changes = List.of(
                r -> file(11, 0100644, 1, 2, 3, 4, 5, 6, 7),
                r -> file(10, 0100600, 1, 2, 3, 4, 5, 6, 7),
                r -> file(10, 0100644, 9, 2, 3, 4, 5, 6, 7),
                r -> file(10, 0100644, 1, 9, 3, 4, 5, 6, 7),
                r -> file(10, 0100644, 1, 2, 9, 4, 5, 6, 7),
                r -> file(10, 0100644, 1, 2, 3, 9, 5, 6, 7),
                r -> file(10, 0100644, 1, 2, 3, 4, 9, 6, 7),
                r -> file(10, 0100644, 1, 2, 3, 4, 5, 9, 7),
                r -> file(10, 0100644, 1, 2, 3, 4, 5, 6, 9),
                r -> new FileRecord(PATH, EntryType.FIFO, 10, 0100644, 1, 2, 3, 4, 5, 6, 7, null, null, null, null),
                r -> new FileRecord(PATH, EntryType.FILE, 10, 0100644, 1, 2, 3, 4, 5, 6, 7, new byte[0], null, null, null),
                r -> r.withHash(null, "unreadable"));
        for (UnaryOperator<FileRecord> change : changes) {
            assertFalse(QuickKey.matches(key, change.apply(BASE)));
        }
    }

    @Test
    void timesBeforeTheEpochAndTheLargestValuesAreKeptExactly() {
        FileRecord old = file(Long.MAX_VALUE, -1, -1, Integer.MIN_VALUE, Long.MIN_VALUE, -1, Long.MAX_VALUE, -5, 3);
        assertTrue(QuickKey.matches(QuickKey.of(old), old));
        assertFalse(QuickKey.matches(QuickKey.of(old),
                file(Long.MAX_VALUE, -1, -1, Integer.MIN_VALUE, Long.MIN_VALUE, -1, Long.MAX_VALUE, -4, 3)));
        assertFalse(QuickKey.matches(QuickKey.of(old),
                file(Long.MAX_VALUE, -1, -1, Integer.MIN_VALUE, Long.MIN_VALUE, -1, Long.MAX_VALUE, -5, 4)));
    }

    @Test
    void symlinksMatchOnlyWithTheSameTarget() {
        FileRecord link = new FileRecord(PATH, EntryType.SYMLINK, 3, 0120777, 0, 0, 3, 4, 1, 6, 7,
                "abc".getBytes(StandardCharsets.UTF_8), null, null, null);
        FileRecord retargeted = new FileRecord(PATH, EntryType.SYMLINK, 3, 0120777, 0, 0, 3, 4, 1, 6, 7,
                "abd".getBytes(StandardCharsets.UTF_8), null, null, null);
        assertTrue(QuickKey.matches(QuickKey.of(link), link));
        assertFalse(QuickKey.matches(QuickKey.of(link), retargeted));
    }

    @Test
    void aRowReadInPartHasNoKeyAndMatchesNothing() {
        assertNull(QuickKey.of(BASE.withHash(null, null)), "a regular file without its hash");
        assertNull(QuickKey.of(BASE.withHash(BASE.hash(), "cannot list xattrs")), "a row with an error");
        assertFalse(QuickKey.matches(null, BASE));
    }
}
