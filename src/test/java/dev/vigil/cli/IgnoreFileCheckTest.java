package dev.vigil.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `vigil check` against ignore files an attacker writes: a user who can write a directory of a checked area (a
 * service's configuration directory it owns, say) must not be able to hide changes with a `.vigilignore`.
 */
class IgnoreFileCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Path tree;
    private String db;

    @BeforeEach
    void baseline() throws Exception {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        tree = Files.createDirectory(dir.resolve("etc"));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tree.resolve("postgresql.conf"), "listen_addresses = 'localhost'\n");
        Files.writeString(tree.resolve("pg_hba.conf"), "local all all peer\n");
        db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int vigil(String... args) {
        out.reset();
        return VigilCommand.commandLine(args).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A modified, a deleted and an added file beside the ignore file. */
    private void tamper() throws Exception {
        Files.writeString(tree.resolve("postgresql.conf"), "listen_addresses = '*'\n");
        Files.delete(tree.resolve("pg_hba.conf"));
        Files.writeString(tree.resolve("backdoor.sql"), "CREATE ROLE evil SUPERUSER;\n");
    }

    private void assertTamperingReported(String check) {
        assertTrue(out().contains("MODIFIED   " + tree.resolve("postgresql.conf")), check + ":\n" + out());
        assertTrue(out().contains("DELETED    " + tree.resolve("pg_hba.conf")), check + ":\n" + out());
        assertTrue(out().contains("ADDED      " + tree.resolve("backdoor.sql")), check + ":\n" + out());
    }

    @Test
    void anIgnoreFileOfStarWrittenByAnotherUserHidesNothingAndIsReportedByCheckAndParanoidCheck() throws Exception {
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*\n");
        Files.setAttribute(ignore, "unix:uid", 65534);
        tamper();

        for (String check : new String[] {"check", "--paranoid"}) {
            int status = check.equals("check") ? vigil("check", "--db", db) : vigil("check", "--db", db, "--paranoid");
            assertEquals(1, status, out());
            assertTamperingReported(check);
            assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: owned by uid 65534, not root\n"), out());
            assertTrue(out().contains(", 1 ignore file not applied."), out());
        }
    }

    @Test
    void aTrustedIgnoreFileOfStarNeverHidesItsOwnChangesNorItsRemoval() throws Exception {
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*\n");
        assertEquals(0, vigil("accept", "--db", db, "--all"));
        assertEquals(0, vigil("check", "--db", db), out());

        Files.writeString(ignore, "*\n!postgresql.conf\n");
        assertEquals(1, vigil("check", "--db", db, "--paranoid"));
        assertTrue(out().contains("MODIFIED   " + ignore), out());

        Files.delete(ignore);
        assertEquals(1, vigil("check", "--db", db));
        assertTrue(out().contains("DELETED    " + ignore), out());
    }

    @ParameterizedTest(name = "ignore file mode {0}, its directory mode {1}")
    @CsvSource({"rw-rw-rw-, rwxr-xr-x, writable by others (mode 0666)",
            "rw-rw-r--, rwxr-xr-x, writable by its group (mode 0664)",
            "rw-r--r--, rwxrwxrwx, its directory is writable by others (mode 0777)",
            "rw-r--r--, rwxrwxrwt, its directory is writable by others (mode 1777)"})
    void anIgnoreFileOthersCanWriteIsReportedAndNotApplied(String fileMode, String dirMode, String reason) throws Exception {
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*.sql\n");
        Files.setPosixFilePermissions(ignore, PosixFilePermissions.fromString(fileMode));
        if (dirMode.endsWith("t")) {
            Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertEquals(0, new ProcessBuilder("chmod", "+t", tree.toString()).start().waitFor());
        } else {
            Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString(dirMode));
        }
        tamper();

        assertEquals(1, vigil("check", "--db", db));
        assertTamperingReported("check");
        assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: " + reason + "\n"), out());
    }

    @Test
    void aHugeSparseIgnoreFileIsReportedAndNotApplied() throws Exception {
        Path ignore = Files.writeString(tree.resolve(".vigilignore"), "*.sql\n");
        try (RandomAccessFile f = new RandomAccessFile(ignore.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        tamper();

        assertEquals(1, vigil("check", "--db", db));
        assertTamperingReported("check");
        assertTrue(out().contains("UNTRUSTED_IGNORE " + ignore + "\n    not applied: larger than 64 KiB\n"), out());
    }
}
