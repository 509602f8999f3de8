package dev.vigil.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a file a root process takes instructions from (a config file, a route, a rule file, or a directory holding
 * one) is root's alone, as sshd's StrictModes demands of authorized_keys: owned by root, writable by neither its group
 * nor others. A logcheck rule tree may also be the logcheck system account's: Debian's logcheck package gives
 * {@code /etc/logcheck} to it at every configure (postinst: {@code chown logcheck:logcheck}, mode 0750), as logcheck
 * itself runs as that account and trusts it with its rules; demanding root there made the documented drop-in base
 * tree a refusal to start, and a {@code chown root} an apt upgrade undoes.
 */
public final class RootOwned {

    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** The account Debian's logcheck runs as, and the highest uid of a system account (login.defs' SYS_UID_MAX). */
    private static final String LOGCHECK_ACCOUNT = "logcheck";
    private static final int SYSTEM_UID_MAX = 999;

    private RootOwned() {
    }

    /** What is wrong with {@code p} (followed if a link: what is read is its target), with the command that fixes it. */
    public static Optional<String> problem(Path p) {
        return problem(p, false);
    }

    /** As {@link #problem}, for a file or directory of a logcheck rule tree, which the logcheck account may own. */
    public static Optional<String> ruleTreeProblem(Path p) {
        return problem(p, true);
    }

    private static Optional<String> problem(Path p, boolean ruleTree) {
        PosixFileAttributes a;
        int uid;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class);
            uid = (Integer) Files.getAttribute(p, "unix:uid");
        } catch (NoSuchFileException missing) {
            return Optional.empty(); // a missing file is reported where it is read
        } catch (IOException e) {
            return Optional.of(p + ": cannot be checked (" + e.getMessage() + ")");
        }
        if (uid != 0 && !(ruleTree && uid <= SYSTEM_UID_MAX && LOGCHECK_ACCOUNT.equals(UserNames.SYSTEM.name(uid)))) {
            return Optional.of(p + " is owned by uid " + uid + ", not root: chown root " + p);
        }
        if (a.permissions().stream().anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
            return Optional.of(p + " is writable by " + (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    ? "every user" : "its group") + " (" + PosixFilePermissions.toString(a.permissions()) + "): chmod go-w " + p);
        }
        return Optional.empty();
    }
}
