package dev.vigil.pid;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the PID checks need from {@code /proc}. Hand-written rather than a process library because
 * the JDK's {@code ProcessHandle} has no state letter (no zombies), no executable link, no uid, no
 * namespace PIDs and a start time only to the millisecond, and because reading four small files per
 * process is cheap enough for a thousand PID files only when done without extra allocation per field.
 *
 * <p>One instance reuses one read buffer, so it is not thread-safe: use one per checker.
 */
final class ProcFs {

    /** {@code TASK_COMM_LEN - 1}: the kernel keeps at most 15 bytes of a command name. */
    static final int COMM_LENGTH = 15;

    private static final String PROC = "/proc/";
    private static final long CLOCK_TICKS = clockTicks();

    private final byte[] buffer = new byte[16 * 1024];
    private final UserNames users;

    ProcFs(UserNames users) {
        this.users = users;
    }

    /** The fields of {@code /proc/PID/stat} the checks use. */
    record Stat(int pid, String comm, char state, long startTicks) {
    }

    /**
     * Parses one {@code /proc/PID/stat} line. The command sits between the first '(' and the <em>last</em>
     * ')' because a command name may itself hold spaces and parentheses ({@code "1 (a) b) S ..."}).
     *
     * @return the fields, or null when the line does not have the kernel's shape
     */
    static Stat parseStat(String line) {
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
    Stat stat(int pid) {
        String line = read(PROC + pid + "/stat");
        return line == null ? null : parseStat(line);
    }

    /** Adds executable, uid and user name to the fields of {@code stat}. */
    ProcessInfo complete(Stat stat, long bootTimeSeconds) {
        int uid = -1;
        String status = read(PROC + stat.pid() + "/status");
        if (status != null) {
            String uids = field(status, "Uid:");
            if (uids != null) {
                String[] parts = uids.split("\t");
                // Real, effective, saved, filesystem: the effective uid is the one the process acts as.
                uid = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            }
        }
        String exe = stat.state() == 'Z' ? null : exe(stat.pid());
        return new ProcessInfo(stat.pid(), stat.comm(), stat.startTicks(),
                startInstant(bootTimeSeconds, stat.startTicks()), exe, uid, uid < 0 ? null : users.name(uid));
    }

    /** Every process now running, as read from {@code /proc/PID/stat}; processes that exit meanwhile are left out. */
    List<Stat> processes() {
        List<Stat> all = new ArrayList<>();
        for (int pid : pids()) {
            Stat stat = stat(pid);
            if (stat != null) {
                all.add(stat);
            }
        }
        return all;
    }

    /**
     * Host PIDs of processes that live in a nested PID namespace, by their PID inside it (the last entry of
     * {@code NSpid}). A container's PID 1 and another container's PID 1 share a key, which is why callers
     * then compare the process's root directory.
     */
    Map<Integer, List<Integer>> namespacedPids() {
        Map<Integer, List<Integer>> byNsPid = new HashMap<>();
        for (int pid : pids()) {
            String status = read(PROC + pid + "/status");
            String nspid = status == null ? null : field(status, "NSpid:");
            if (nspid == null || nspid.indexOf('\t') < 0) {
                continue;
            }
            int inner = Integer.parseInt(nspid.substring(nspid.lastIndexOf('\t') + 1));
            byNsPid.computeIfAbsent(inner, k -> new ArrayList<>()).add(pid);
        }
        return byNsPid;
    }

    /** The file key (device and inode) of {@code pid}'s root directory, or null when it cannot be read. */
    static Object rootKey(int pid) {
        try {
            return Files.readAttributes(Path.of(PROC + pid + "/root"), BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Changes at every boot; start ticks only identify a process together with it. */
    String bootId() {
        String id = read("/proc/sys/kernel/random/boot_id");
        return id == null ? "" : id.strip();
    }

    /** Boot time in seconds since the epoch ({@code btime} in {@code /proc/stat}). */
    long bootTimeSeconds() {
        String stat = read("/proc/stat");
        String btime = stat == null ? null : field(stat, "btime ");
        return btime == null ? 0 : Long.parseLong(btime.strip());
    }

    /** {@code kernel.pid_max}: no PID file can name a process above it. */
    int pidMax() {
        String max = read("/proc/sys/kernel/pid_max");
        return max == null ? PidFileContents.PID_MAX_LIMIT : Integer.parseInt(max.strip());
    }

    private static Instant startInstant(long bootTimeSeconds, long ticks) {
        return Instant.ofEpochSecond(bootTimeSeconds).plusMillis(ticks * 1000 / CLOCK_TICKS);
    }

    private static String exe(int pid) {
        try {
            return Files.readSymbolicLink(Path.of(PROC + pid + "/exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(PROC))) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return pids;
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
    private String read(String path) {
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

    private interface LibC extends Library {
        long sysconf(int name);
    }

    /** {@code sysconf(_SC_CLK_TCK)}: the unit of start times in {@code /proc/PID/stat}. */
    private static long clockTicks() {
        final int scClkTck = 2;
        return Native.load("c", LibC.class).sysconf(scClkTck);
    }
}
