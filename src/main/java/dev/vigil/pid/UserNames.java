package dev.vigil.pid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * User names by uid from a passwd-format file ({@code /etc/passwd}), re-read when the file changes.
 * Hand-written because the JDK has no {@code getpwuid}; calling it through JNA would also reach NSS
 * (LDAP, sssd), but a network lookup on every check of a thousand PID files is the wrong trade for system
 * daemons, which are local users. A uid not in the file is shown as its number.
 */
final class UserNames {

    private final Path passwd;
    private Map<Integer, String> names = Map.of();
    private FileTime loaded;

    UserNames(Path passwd) {
        this.passwd = passwd;
    }

    static UserNames system() {
        return new UserNames(Path.of("/etc/passwd"));
    }

    /** Re-reads the file if it changed since the last call; meant to run once per check. */
    void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(passwd);
            if (modified.equals(loaded)) {
                return;
            }
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
        } catch (IOException e) {
            names = Map.of();
            loaded = null;
        }
    }

    String name(int uid) {
        String name = names.get(uid);
        return name != null ? name : Integer.toString(uid);
    }
}
