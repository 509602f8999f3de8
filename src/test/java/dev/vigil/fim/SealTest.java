package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SealTest {

    private static FileRecord file(String path, String hash) {
        return new FileRecord(path.getBytes(StandardCharsets.UTF_8), EntryType.FILE, 10, 0644, 0, 0, 42, 7, 1,
                1_000_000_000L, 1_000_000_000L, null, hash, null, null);
    }

    private static List<FileRecord> rows(int n) {
        List<FileRecord> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(file("/etc/file" + i, "%064x".formatted(i)));
        }
        return rows;
    }

    @Test
    void equalSetsOfRowsHaveEqualSealsWhateverTheOrder() {
        List<FileRecord> rows = rows(200);
        List<FileRecord> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(1));
        assertEquals(Seal.of(rows).value(), Seal.of(shuffled).value());
        assertEquals(200, Seal.of(shuffled).rows());
        assertEquals(64, Seal.of(rows).value().length());
    }

    @Test
    void theValueOfAKnownSetOfRowsNeverChanges() {
        // seals stored by earlier versions and reported by other hosts must still compare equal
        Seal seal = Seal.of(rows(300)).remove(rows(300).get(5)).add(file("/etc/other", "a".repeat(64)));
        assertEquals("d80887dbe3921ccc57d299c622720b91027c2390651352a39cf8338359c0faec", seal.value());
    }

    @Test
    void rowsAddedManyAtATimeSealAsRowsAddedOneByOne() {
        // libcrypto expands the digests of several rows in one call: 300 rows are whole batches and part of one
        List<FileRecord> rows = rows(300);
        Seal oneByOne = Seal.empty();
        rows.forEach(oneByOne::add);
        assertEquals(oneByOne, Seal.empty().addAll(rows));
        assertEquals(oneByOne, Seal.empty().addAll(rows.subList(0, 33)).addAll(rows.subList(33, 300)));
        assertEquals(Seal.empty(), Seal.empty().addAll(List.of()));
    }

    @Test
    void replacingOneRowIsOneSubtractionAndOneAddition() {
        List<FileRecord> rows = rows(50);
        Seal kept = Seal.of(rows);
        FileRecord changed = file("/etc/file7", "f".repeat(64));
        kept.remove(rows.get(7)).add(changed);
        rows.set(7, changed);
        assertEquals(Seal.of(rows), kept);
        assertEquals(Seal.empty(), Seal.of(rows).subtract(Seal.of(rows)), "the rows taken out again leave no seal");
    }

    @Test
    void everyStoredAttributeOfARowCountsInTheSeal() {
        FileRecord r = file("/etc/passwd", "a".repeat(64));
        String sealed = Seal.of(List.of(r)).value();
        TreeMap<String, String> xattrs = new TreeMap<>();
        xattrs.put("security.capability", "AQAAAg==");
        List<FileRecord> variants = List.of(
                file("/etc/passwe", "a".repeat(64)),
                r.withHash("b".repeat(64), null),
                r.withXattrs(xattrs, null),
                r.withHash(r.hash(), "permission denied"),
                new FileRecord(r.path(), EntryType.FILE, 10, 04755, 0, 0, 42, 7, 1, 1_000_000_000L, 1_000_000_000L, null, r.hash(), null, null),
                new FileRecord(r.path(), EntryType.FILE, 10, 0644, 1000, 0, 42, 7, 1, 1_000_000_000L, 1_000_000_000L, null, r.hash(), null, null),
                new FileRecord(r.path(), EntryType.SYMLINK, 10, 0644, 0, 0, 42, 7, 1, 1_000_000_000L, 1_000_000_000L,
                        "/tmp/x".getBytes(StandardCharsets.UTF_8), null, null, null));
        for (FileRecord v : variants) {
            assertNotEquals(sealed, Seal.of(List.of(v)).value(), v.toString());
        }
    }

    @Test
    void libcryptoAndTheJdkExpandEveryRowAlike() {
        assumeTrue(OpenSsl.available(), "libcrypto.so.3 (Debian's libssl3) is not installed: only the JDK's AES is used");
        for (FileRecord r : rows(20)) {
            assertArrayEquals(Seal.element(r, false), Seal.element(r, true), new String(r.path()));
        }
    }

    @Test
    void libcryptoAndTheJdkCarryTheCounterAlike() {
        assumeTrue(OpenSsl.available(), "libcrypto.so.3 (Debian's libssl3) is not installed: only the JDK's AES is used");
        // the counter's low 64 bits wrap within a row's 128 blocks (at the first, a middle and the last block),
        // once carrying into the high half and once wrapping the whole 128 bits
        for (String counter : List.of("00000000000000aaffffffffffffffff", "0102030405060708ffffffffffffffc0",
                "0000000000000000ffffffffffffff81", "ffffffffffffffffffffffffffffffa0")) {
            byte[] digest = HexFormat.of().parseHex(counter + "00112233445566778899aabbccddeeff");
            assertArrayEquals(Seal.expansion(digest, false), Seal.expansion(digest, true), counter);
        }
    }

    @Test
    void aStoredSealReadsBackAsTheSameSeal() {
        Seal seal = Seal.of(rows(30));
        assertEquals(seal, Seal.of(seal.lanes(), seal.rows()));
        assertEquals(seal.value(), Seal.of(seal.lanes(), seal.rows()).value());
        assertThrows(IllegalArgumentException.class, () -> Seal.of(new byte[32], 1));
    }
}
