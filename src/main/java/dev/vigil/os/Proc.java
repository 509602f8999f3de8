package dev.vigil.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What Vigil reads from {@code /proc}: a process's stat, status and executable, the processes running, boot
 * facts, and sysctls. Hand-written rather than a process library because the JDK's {@code ProcessHandle} has no
 * state letter (no zombies), no executable link, no uid, no namespace PIDs and a start time only to the
 * millisecond, and because the PID checks read a few small files for each of a thousand processes: each read
 * goes into a buffer kept per thread, one read call from offset 0 (procfs answers only that; the JDK's
 * {@code Files.readString} reads a file that reports size 0 a byte at a time). Every method is safe to call
 * from any thread; a process that is gone reads as null.
 */
public final class Proc {

    /** {@code TASK_COMM_LEN - 1}: the kernel keeps at most 15 bytes of a command name. */
    public static final int COMM_LENGTH = 15;

    private static final String PROC = "/proc/";
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private Proc() {
    }

    /** The fields of {@code /proc/PID/stat} Vigil uses; {@code startTicks} is the start time in clock ticks since boot. */
    public record Stat(int pid, String comm, char state, long startTicks) {
    }

    /**
     * The fields of {@code /proc/PID/status} Vigil uses: the command name ({@code Name:}, which escapes only
     * backslashes and control characters), the parent, the real and effective uid (-1 when unknown), and the
     * PID in the innermost PID namespace, -1 unless the process lives in a nested one ({@code NSpid:}).
     */
    public record Status(String name, int ppid, int realUid, int effectiveUid, int nestedPid) {
    }

    /**
     * Parses one {@code /proc/PID/stat} line. The command sits between the first '(' and the <em>last</em>
     * ')' because a command name may itself hold spaces and parentheses ({@code "1 (a) b) S ..."}).
     *
     * @return the fields, or null when the line does not have the kernel's shape
     */
    public static Stat parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 >= line.length()) {
            return null;
        }
        int pid;
        try {
            pid = Integer.parseInt(line.substring(0, open).trim());
        } catch (NumberFormatException e) {
            return null;
        }
        String comm = line.substring(open + 1, close);
        // Fields after the command are single tokens separated by one space; field 3 is the state, field 22
        // the start time.
        int field = 3;
        int start = close + 2;
        char state = line.charAt(start);
        while (field < 22) {
            start = line.indexOf(' ', start) + 1;
            if (start == 0) {
                return null;
            }
            field++;
        }
        int end = line.indexOf(' ', start);
        try {
            long startTicks = Long.parseLong(end < 0 ? line.substring(start).trim() : line.substring(start, end));
            return new Stat(pid, comm, state, startTicks);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The stat fields of the process with host PID {@code pid}, or null when there is none. */
    public static Stat stat(int pid) {
        String line = read(PROC + pid + "/stat");
        return line == null ? null : parseStat(line);
    }

    /** The status fields of {@code pid}, or null when it is gone or its status unreadable. */
    public static Status status(int pid) {
        return status(Integer.toString(pid));
    }

    /** This process's effective uid; -1 where it cannot be read (not Linux). */
    public static int effectiveUid() {
        Status self = status("self");
        return self == null ? -1 : self.effectiveUid();
    }

    private static Status status(String pid) {
        String text = read(PROC + pid + "/status");
        if (text == null) {
            return null;
        }
        try {
            String ppid = field(text, "PPid:");
            String uids = field(text, "Uid:");
            String[] uid = uids == null ? new String[0] : uids.split("\\s+");
            String nspid = field(text, "NSpid:");
            int tab = nspid == null ? -1 : nspid.lastIndexOf('\t');
            return new Status(field(text, "Name:"), ppid == null ? -1 : Integer.parseInt(ppid),
                    uid.length > 0 ? Integer.parseInt(uid[0]) : -1, uid.length > 1 ? Integer.parseInt(uid[1]) : -1,
                    tab < 0 ? -1 : Integer.parseInt(nspid.substring(tab + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The target of {@code /proc/PID/exe}, or null when the process is gone, a zombie or a kernel thread. */
    public static String exe(int pid) {
        try {
            return Files.readSymbolicLink(Path.of(PROC + pid + "/exe")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What this process's descriptor {@code fd} is open on ({@code /proc/self/fd/FD}). */
    public static Path fdPath(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of(PROC + "self/fd/" + fd));
    }

    /** The file key (device and inode) of {@code pid}'s root directory, or null when it cannot be read. */
    public static Object rootKey(int pid) {
        try {
            return Files.readAttributes(Path.of(PROC + pid + "/root"), BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The PIDs of every process now running. */
    public static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(PROC))) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return pids;
    }

    /** Every process now running, as read from {@code /proc/PID/stat}; processes that exit meanwhile are left out. */
    public static List<Stat> processes() {
        List<Stat> all = new ArrayList<>();
        for (int pid : pids()) {
            Stat stat = stat(pid);
            if (stat != null) {
                all.add(stat);
            }
        }
        return all;
    }

    /** Boot time in seconds since the epoch ({@code btime} in {@code /proc/stat}). */
    public static long bootTimeSeconds() {
        String stat = read(PROC + "stat");
        String btime = stat == null ? null : field(stat, "btime ");
        return btime == null ? 0 : Long.parseLong(btime);
    }

    /** The instant a process started {@code startTicks} clock ticks after a boot at {@code bootTimeSeconds}. */
    public static Instant startTime(long bootTimeSeconds, long startTicks) {
        return Instant.ofEpochSecond(bootTimeSeconds).plusMillis(startTicks * 1000 / ClockTicks.PER_SECOND);
    }

    /** Asked of libc when first needed, so that reading /proc works where libc is not bound. */
    private static final class ClockTicks {
        static final long PER_SECOND = Libc.sysconf(Libc.SC_CLK_TCK);
    }

    /** The value of sysctl {@code name} ({@code "kernel/pid_max"}), stripped; null when it cannot be read. */
    public static String sysctl(String name) {
        String value = read(PROC + "sys/" + name);
        return value == null ? null : value.strip();
    }

    /** The value after {@code name} on its line ("Uid:" gives "0\t0\t0\t0"), or null. */
    private static String field(String text, String name) {
        int start;
        if (text.startsWith(name)) {
            start = name.length();
        } else {
            int at = text.indexOf("\n" + name);
            if (at < 0) {
                return null;
            }
            start = at + 1 + name.length();
        }
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }

    /** A whole small /proc file, or null when it is gone (the process exited) or unreadable. */
    private static String read(String path) {
        byte[] buffer = BUFFER.get();
        try (FileInputStream in = new FileInputStream(path)) {
            int length = 0;
            int n;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
            }
            return new String(buffer, 0, length, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
