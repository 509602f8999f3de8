package dev.vigil.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by uid, from the local passwd file only, never through NSS. This is the one policy: Vigil looks
 * names up from the fanotify reader and the process connector (attributing a file event) and for each of a
 * thousand PID files, and a lookup there must answer at once. NSS ({@code getpwuid}, the JDK's
 * {@code UserPrincipal}) may ask LDAP or sssd over the network, which can hang the reader while the kernel
 * queue overflows, and would have the watch observe the files the lookup itself opens. The users whose activity
 * matters on a host (root, system daemons) are local, so they are named as {@code ls -l} names them; a uid only
 * a directory service knows is shown as its number ({@link #nameOrNumber}), again as {@code ls -l} does when
 * it cannot name an owner, or as no name ({@link #name}) where a record keeps the uid beside the name.
 *
 * <p>The file is read again when it changed, checked at most once a second. Safe to use from any thread.
 */
public final class UserNames {

    /** The system's names ({@code /etc/passwd}), one cache for the whole process. */
    public static final UserNames SYSTEM = new UserNames(Path.of("/etc/passwd"));

    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path passwd;
    private volatile Map<Integer, String> names = Map.of();
    private volatile long checkedAt;
    private volatile boolean checked;
    private FileTime loaded;

    public UserNames(Path passwd) {
        this.passwd = passwd;
    }

    /** The name of {@code uid}, or null when the file does not name it. */
    public String name(int uid) {
        if (!checked || System.nanoTime() - checkedAt >= RECHECK_NANOS) {
            refresh();
        }
        return names.get(uid);
    }

    /** The name of {@code uid}, or the number as text when the file does not name it. */
    public String nameOrNumber(int uid) {
        String name = name(uid);
        return name != null ? name : Integer.toString(uid);
    }

    private synchronized void refresh() {
        if (checked && System.nanoTime() - checkedAt < RECHECK_NANOS) {
            return;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(passwd);
            if (!modified.equals(loaded)) {
                Map<Integer, String> read = new HashMap<>();
                for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                    String[] fields = line.split(":", 4);
                    if (fields.length == 4) {
                        try {
                            read.putIfAbsent(Integer.parseInt(fields[2]), fields[0]);
                        } catch (NumberFormatException e) {
                            // A malformed line names nobody; the others still count.
                        }
                    }
                }
                names = read;
                loaded = modified;
            }
        } catch (IOException e) {
            names = Map.of();
            loaded = null;
        }
        checkedAt = System.nanoTime();
        checked = true;
    }
}
