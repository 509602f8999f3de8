package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vigil against Debian's AIDE on the same tree and the same tamperings: every path AIDE reports, Vigil reports
 * with the same kind and at least the same attributes. Vigil may see more (it keeps times to the nanosecond,
 * AIDE to the second).
 */
class AideDifferentialTest {

    private static final Pattern ADDED = Pattern.compile("^[a-z]\\+{5,}: (/.*)$");
    private static final Pattern REMOVED = Pattern.compile("^[a-z]-{5,}: (/.*)$");
    private static final Pattern SECTION = Pattern.compile("^[A-Z][A-Za-z ]*: (/.*)$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^ ([A-Za-z0-9][A-Za-z0-9 ]*?)\\s+: ");

    @TempDir
    Path dir;

    @Test
    void vigilReportsEveryChangeAideReportsWithTheSameAttributes() throws Exception {
        assumeTrue(Tools.installed("aide"), "needs Debian's aide (.ci/run installs it)");
        assumeTrue(Tools.root(), "chown and setcap need root (CI runs as root)");
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (String f : List.of("content", "perm", "suid", "owner", "renamed", "deleted", "hard", "replaced",
                "caps", "xattr", "trunc", "append")) {
            Files.writeString(tree.resolve(f), "data-" + f + "\n");
        }
        Files.createSymbolicLink(tree.resolve("link"), Path.of("content"));

        Path conf = dir.resolve("aide.conf");
        Files.writeString(conf, String.join("\n",
                "database_in=file:" + dir.resolve("aide.db"),
                "database_out=file:" + dir.resolve("aide.db.new"),
                "report_url=stdout",
                "num_workers=2",
                "Vig = p+ftype+i+n+u+g+s+m+c+l+sha256+xattrs",
                tree + " Vig", ""));
        Tools.sh("aide", "--config", conf.toString(), "--init");
        Files.move(dir.resolve("aide.db.new"), dir.resolve("aide.db"));

        Database db = Database.open(dir.resolve("vigil.db"));
        Integrity vigil = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        vigil.baseline(List.of(tree), failOnProblem(), new ScanStats());

        Thread.sleep(1100); // AIDE keeps whole seconds: let its time attributes see the changes too
        tamper(tree);

        Tools.Result aide = Tools.run(dir, List.of("aide", "--config", conf.toString(), "--check"));
        assertTrue(aide.exit() > 0 && aide.exit() < 14, "aide --check found changes: " + aide.err());
        Map<String, Set<String>> aideChanges = parseAide(aide.out());

        Map<String, Set<String>> vigilChanges = new TreeMap<>();
        vigil.check(List.of(tree), false, failOnProblem(), new ScanStats(), c -> vigilChanges.put(c.displayPath(), aideNames(c)));

        assertEquals(17, aideChanges.size(), "AIDE saw the 16 tamperings and the changed directory: " + aideChanges);
        aideChanges.forEach((path, attributes) -> {
            assertTrue(vigilChanges.containsKey(path), "Vigil missed " + path + " " + attributes);
            assertTrue(vigilChanges.get(path).containsAll(attributes),
                    path + ": AIDE " + attributes + ", Vigil " + vigilChanges.get(path));
        });
    }

    private static void tamper(Path tree) throws Exception {
        Path content = tree.resolve("content");
        Path reference = tree.resolveSibling("reference");
        Files.copy(content, reference, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(content, "DATA-content\n");
        Tools.sh("touch", "-r", reference.toString(), content.toString());
        Tools.sh("chmod", "600", tree.resolve("perm").toString());
        Tools.sh("chmod", "u+s", tree.resolve("suid").toString());
        Tools.sh("chown", "nobody", tree.resolve("owner").toString());
        Files.move(tree.resolve("renamed"), tree.resolve("renamed2"));
        Files.delete(tree.resolve("deleted"));
        Files.writeString(tree.resolve("added"), "new\n");
        Tools.sh("ln", "-sfn", "perm", tree.resolve("link").toString());
        Files.createLink(tree.resolve("hard2"), tree.resolve("hard"));
        Files.delete(tree.resolve("replaced"));
        Files.createDirectory(tree.resolve("replaced"));
        Tools.sh("setcap", "cap_net_raw+ep", tree.resolve("caps").toString());
        Tools.sh("setfattr", "-n", "user.note", "-v", "hi", tree.resolve("xattr").toString());
        Tools.sh("truncate", "-s", "0", tree.resolve("trunc").toString());
        Files.writeString(tree.resolve("append"), "more\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** path -> the kind (+ or -) or the AIDE names of the changed attributes. */
    private static Map<String, Set<String>> parseAide(String report) {
        Map<String, Set<String>> out = new TreeMap<>();
        String current = null;
        for (String line : report.split("\n")) {
            if (line.startsWith("The attributes of the")) {
                break;
            }
            Matcher m;
            if ((m = ADDED.matcher(line)).matches()) {
                out.put(m.group(1), Set.of("+"));
            } else if ((m = REMOVED.matcher(line)).matches()) {
                out.put(m.group(1), Set.of("-"));
            } else if ((m = SECTION.matcher(line)).matches()) {
                current = m.group(1);
                out.put(current, new TreeSet<>());
            } else if (current != null && (m = ATTRIBUTE.matcher(line)).find()) {
                out.get(current).add(m.group(1));
            }
        }
        return out;
    }

    /** Our change in AIDE's words; this AIDE build has no libcap, so it reports capabilities as XAttrs. */
    private static Set<String> aideNames(Change c) {
        return switch (c.kind()) {
            case ADDED -> Set.of("+");
            case DELETED -> Set.of("-");
            default -> {
                Set<String> names = new TreeSet<>();
                for (Attribute a : c.attributes()) {
                    names.add(a == Attribute.CAPABILITIES ? "XAttrs" : a.aideName());
                }
                yield names;
            }
        };
    }

    private static Scanner.Sink failOnProblem() {
        List<String> problems = new ArrayList<>();
        return new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
            }

            @Override
            public void problem(byte[] path, String message) {
                problems.add(PathBytes.escape(path) + ": " + message);
                throw new AssertionError("unexpected scan problem " + problems);
            }
        };
    }
}
