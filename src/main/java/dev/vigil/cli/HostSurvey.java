package dev.vigil.cli;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code vigil config init} finds on this host to monitor: the classic log files that exist, the PID files
 * of the running services, the areas Vigil would choose for the user it runs as, and Debian's logcheck rules if they
 * are installed. Every file is looked at
 * without following a symbolic link, and the look at {@code /run} is bounded, so a tree someone filled cannot
 * make it slow.
 *
 * @param logs     the log files of {@link #LOG_FILES} that are regular files
 * @param pidFiles the {@code *.pid} regular files in {@code /run} and one level down, sorted
 * @param areas    {@link VigilHome#defaultAreas(int)} for the user
 * @param logcheckRules {@code /etc/logcheck} when Debian's {@code logcheck-database} is installed (it has
 *                 {@code ignore.d.server}), else null
 */
record HostSurvey(List<Path> logs, List<Path> pidFiles, List<String> areas, Path logcheckRules) {

    /** The log files of syslog daemons on Debian (syslog, auth.log ...) and on Red Hat (messages, secure ...). */
    static final List<String> LOG_FILES = List.of("syslog", "auth.log", "kern.log", "daemon.log", "messages", "secure",
            "mail.log", "maillog", "cron");

    /** The most PID files listed, and entries of {@code /run} looked at. */
    static final int MAX_PID_FILES = 100;
    static final int MAX_RUN_ENTRIES = 10_000;

    /**
     * A name written into the configuration as it is: no comma (the list separator), backslash, white space or
     * control character that would change what the properties file says.
     */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._@+-]+");

    /**
     * @param root the file system root the survey looks under ({@code /}; a test's directory)
     * @param euid the user Vigil is to run as
     */
    static HostSurvey of(Path root, int euid) throws IOException {
        List<Path> logs = new ArrayList<>();
        for (String name : LOG_FILES) {
            Path log = root.resolve("var/log").resolve(name);
            if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                logs.add(log);
            }
        }
        Path logcheck = root.resolve("etc/logcheck");
        return new HostSurvey(logs, pidFiles(root.resolve("run")), VigilHome.defaultAreas(euid),
                Files.isDirectory(logcheck.resolve("ignore.d.server"), LinkOption.NOFOLLOW_LINKS) ? logcheck : null);
    }

    /**
     * The PID files where {@code pidcheck:} would look in a directory: in it and one level down. A PID file in a
     * directory anyone may write to ({@code /run/lock}) is left out: anyone could have put it there.
     */
    private static List<Path> pidFiles(Path run) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        int[] seen = {0};
        Files.walkFileTree(run, EnumSet.noneOf(FileVisitOption.class), 2, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (++seen[0] > MAX_RUN_ENTRIES || found.size() >= MAX_PID_FILES) {
                    return FileVisitResult.TERMINATE;
                }
                String name = file.getFileName().toString();
                if (attrs.isRegularFile() && name.endsWith(".pid") && PLAIN_NAME.matcher(name).matches()
                        && PLAIN_NAME.matcher(file.getParent().getFileName().toString()).matches()
                        && !writableByOthers(file.getParent())) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a directory this user cannot read holds nothing to list
            }
        });
        found.sort(null);
        return found;
    }

    private static boolean writableByOthers(Path dir) throws IOException {
        return Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OTHERS_WRITE);
    }
}
