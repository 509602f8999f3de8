package dev.vigil.pid;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.os.PathBytes;
import dev.vigil.os.Proc;
import dev.vigil.os.UserNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks PID files and required commands against what was seen at the previous check, and says what
 * changed: MISSING, INVALID, DIED, ZOMBIE, UNEXPECTED_EXE (each reported once, until it clears and is
 * RECOVERED), RESTARTED and REPLACED. The first check of a healthy process reports nothing; it only
 * remembers the process, so a later check can tell a restart or a new executable.
 *
 * <p>The checker itself keeps no state between calls: the caller passes the previous state in and keeps
 * the returned one (and stores {@link PidCheck#changed()} through {@code PidStateStore}, before it reports
 * the findings, so that a crash in between cannot lose the state of what was reported). It reads
 * {@code /proc} through one reused buffer, so one checker serves one thread at a time. A poller does:
 * <pre>{@code
 * Map<String, PidState> state = store.load(options.name());          // once, at start
 * PidCheck r = checker.check(state);                                  // every interval
 * store.save(options.name(), r.changed(), r.removed());
 * state = r.state();
 * r.findings().forEach(send);
 * }</pre>
 */
public final class PidChecker {

    public static final Source SOURCE = Source.PIDS;
    /** Prefix of the subject of a required command, which has no PID file to name it by. */
    public static final String PROCESS_PREFIX = "process:";

    private final PidOptions options;
    private final List<PidFileSpec> specs;
    private final String host;
    private final Clock clock;

    public PidChecker(PidOptions options, String host, Clock clock) {
        this.options = options;
        this.specs = options.fileSpecs();
        this.host = host;
        this.clock = clock;
    }

    /** The outcome of one check. */
    public record PidCheck(List<Finding> findings, Map<String, PidState> state, Map<String, PidState> changed,
                           Set<String> removed) {
    }

    /** Checks every PID file and required command once, given the state the previous check returned. */
    public PidCheck check(Map<String, PidState> kept) {
        Map<String, PidState> previous = new LinkedHashMap<>();
        kept.forEach((subject, state) -> previous.put(escapedForm(subject), state));
        Run run = new Run();
        List<Finding> findings = new ArrayList<>();
        Map<String, PidState> next = new LinkedHashMap<>();

        Set<Path> files = new LinkedHashSet<>();
        Set<Path> explicit = new HashSet<>();
        for (PidFileSpec spec : specs) {
            spec.collect(files);
            if (spec.explicit()) {
                explicit.add(spec.path());
            }
        }
        // A file seen before and gone now is found by no spec, but must still be checked to be MISSING.
        for (String subject : previous.keySet()) {
            if (!subject.startsWith(PROCESS_PREFIX)) {
                Path file = PathBytes.toPath(PathBytes.unescape(subject));
                if (specs.stream().anyMatch(s -> s.covers(file))) {
                    files.add(file);
                }
            }
        }
        for (Path file : files) {
            String subject = subject(file);
            PidState before = previous.get(subject);
            Observation seen = observeFile(file, subject, run);
            if (seen.kind == PidKind.MISSING && before == null && !explicit.contains(file)) {
                continue; // found by a directory or glob and gone before it was read: never known, not missing
            }
            next.put(subject, apply(subject, before, seen, run, findings));
        }
        for (String command : options.require()) {
            String subject = PROCESS_PREFIX + command;
            PidState before = previous.get(subject);
            int uid = before == null || before.process() == null ? -1 : before.process().uid();
            next.put(subject, apply(subject, before, observeCommand(command, uid, run), run, findings));
        }

        Map<String, PidState> changed = new LinkedHashMap<>();
        next.forEach((subject, state) -> {
            if (!state.equals(kept.get(subject))) {
                changed.put(subject, state);
            }
        });
        Set<String> removed = new LinkedHashSet<>(kept.keySet());
        removed.removeAll(next.keySet());
        return new PidCheck(List.copyOf(findings), next, changed, removed);
    }

    /** Facts read once per check and shared by all PID files. */
    private final class Run {
        final String bootId = Objects.requireNonNullElse(Proc.sysctl("kernel/random/boot_id"), "");
        final long bootTime = Proc.bootTimeSeconds();
        final int pidMax = pidMax();
        private Map<Integer, List<Integer>> namespaced;
        private List<Proc.Stat> processes;

        /**
         * Host PIDs of processes that live in a nested PID namespace, by their PID inside it (the last entry of
         * {@code NSpid}). A container's PID 1 and another container's PID 1 share a key, which is why callers
         * then compare the process's root directory.
         */
        Map<Integer, List<Integer>> namespaced() {
            if (namespaced == null) {
                namespaced = new HashMap<>();
                for (int pid : Proc.pids()) {
                    Proc.Status status = Proc.status(pid);
                    if (status != null && status.nestedPid() >= 0) {
                        namespaced.computeIfAbsent(status.nestedPid(), k -> new ArrayList<>()).add(pid);
                    }
                }
            }
            return namespaced;
        }

        List<Proc.Stat> processes() {
            if (processes == null) {
                processes = Proc.processes();
            }
            return processes;
        }

        /** Adds executable, uid and user name to the fields of {@code stat}. */
        ProcessInfo complete(Proc.Stat stat) {
            Proc.Status status = Proc.status(stat.pid());
            // The effective uid is the one the process acts as.
            int uid = status == null ? -1 : status.effectiveUid();
            String exe = stat.state() == 'Z' ? null : Proc.exe(stat.pid());
            return new ProcessInfo(stat.pid(), stat.comm(), stat.startTicks(),
                    Proc.startTime(bootTime, stat.startTicks()), exe, uid,
                    uid < 0 ? null : UserNames.SYSTEM.nameOrNumber(uid));
        }
    }

    /** {@code kernel.pid_max}: no PID file can name a process above it. */
    private static int pidMax() {
        String max = Proc.sysctl("kernel/pid_max");
        return max == null ? PidFileContents.PID_MAX_LIMIT : Integer.parseInt(max);
    }

    /**
     * What one check saw for one subject: a problem (kind and key) or none, the process if there is one,
     * and details for the finding.
     */
    private record Observation(PidKind kind, String key, String message, ProcessInfo process,
                               Map<String, Object> details) {
    }

    /**
     * A PID file's subject: its path escaped ({@link PathBytes#escape}), which {@link PathBytes#unescape} takes back to
     * the same bytes. A name that is not UTF-8 ({@code touch $'\xff'.pid} in a service's directory) was the lossy
     * {@code Path.toString()}, which named another file when the next check looked for the one seen: a MISSING, then a
     * RECOVERED every check, for as long as the file was there.
     */
    private static String subject(Path file) {
        return PathBytes.escape(PathBytes.of(file));
    }

    /**
     * A subject as this version writes it: one kept before session 33 was the path's {@code toString()} (it is the same
     * unless the name holds a {@code %}, a control character or bytes that are not UTF-8), taken over under its
     * escaped form, and the row of the old form removed by the check's save.
     */
    private static String escapedForm(String subject) {
        if (subject.startsWith(PROCESS_PREFIX) || PathBytes.escape(PathBytes.unescape(subject)).equals(subject)) {
            return subject;
        }
        return subject(Path.of(subject));
    }

    private Observation observeFile(Path file, String subject, Run run) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pidFile", subject);
        PidFileContents contents;
        try {
            contents = PidFileContents.read(file, run.pidMax);
        } catch (NoSuchFileException e) {
            return new Observation(PidKind.MISSING, "MISSING", "PID file " + subject + " is gone", null, details);
        } catch (IOException e) {
            String reason = "unreadable: " + e.getClass().getSimpleName() + " " + e.getMessage();
            details.put("reason", reason);
            return new Observation(PidKind.INVALID, "INVALID:" + reason,
                    "PID file " + subject + " cannot be read: " + reason, null, details);
        }
        if (!contents.valid()) {
            details.put("reason", contents.problem());
            details.put("contents", contents.excerpt());
            return new Observation(PidKind.INVALID, "INVALID:" + contents.problem() + ":" + contents.excerpt(),
                    "PID file " + subject + " holds no valid PID: " + contents.problem() + " (\"" + contents.excerpt() + "\")",
                    null, details);
        }
        int pid = contents.pid();
        String where = "PID " + pid + " from " + subject;
        Map.Entry<String, Path> container = options.containerOf(file);
        if (container != null) {
            details.put("container", container.getKey());
            details.put("containerPid", pid);
            Integer hostPid = hostPid(pid, container.getValue(), run);
            if (hostPid == null) {
                return new Observation(PidKind.DIED, "DIED:" + container.getKey() + ":" + pid,
                        "no process with PID " + pid + " in container " + container.getKey() + " (" + subject + ")",
                        null, details);
            }
            where = "PID " + pid + " (host PID " + hostPid + ") from " + subject;
            pid = hostPid;
        }
        Proc.Stat stat = Proc.stat(pid);
        if (stat == null) {
            return new Observation(PidKind.DIED, "DIED:" + pid, "no process with " + where, null, details);
        }
        return observeProcess(stat, run.complete(stat), where, options.expectedExeFor(file), details);
    }

    /**
     * The process that stands for a required command: the oldest that runs it (sshd's per-connection children come
     * and go, its listener stays), of the user the one seen last ran as ({@code uid}, -1 for none) if one still runs
     * it: a service's workers of another user outlive its stop (apache2's graceful stop), and its new main process is
     * then younger than they are.
     */
    private Observation observeCommand(String command, int uid, Run run) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("command", command);
        String comm = command.length() > Proc.COMM_LENGTH ? command.substring(0, Proc.COMM_LENGTH) : command;
        List<Proc.Stat> running = run.processes().stream()
                .filter(s -> s.state() != 'Z' && s.comm().equals(comm))
                .sorted(Comparator.comparingLong(Proc.Stat::startTicks).thenComparingInt(Proc.Stat::pid))
                .toList();
        if (running.isEmpty()) {
            return new Observation(PidKind.DIED, "DIED", "no process runs required command " + command, null, details);
        }
        Proc.Stat chosen = running.get(0);
        ProcessInfo process = run.complete(chosen);
        for (int i = 1; i < running.size() && uid >= 0 && process.uid() != uid; i++) {
            ProcessInfo candidate = run.complete(running.get(i));
            if (candidate.uid() == uid) {
                chosen = running.get(i);
                process = candidate;
            }
        }
        return observeProcess(chosen, process, "PID " + chosen.pid() + ", required", null, details);
    }

    private static Observation observeProcess(Proc.Stat stat, ProcessInfo process, String where, String expectedExe,
                                              Map<String, Object> details) {
        if (stat.state() == 'Z') {
            return new Observation(PidKind.ZOMBIE, "ZOMBIE:" + process.pid() + ":" + process.startTicks(),
                    process.command() + " (" + where + ") is a zombie: it exited and its parent has not reaped it",
                    process, details);
        }
        if (expectedExe != null && !expectedExe.equals(process.exePath())) {
            details.put("expectedExe", expectedExe);
            String exe = process.exe() == null ? "an executable that cannot be read" : process.exe();
            return new Observation(PidKind.UNEXPECTED_EXE, "UNEXPECTED_EXE:" + process.exe(),
                    process.command() + " (" + where + ") runs " + exe + ", expected " + expectedExe, process, details);
        }
        return new Observation(null, null, process.command() + " (" + where + ")", process, details);
    }

    /** Compares what was seen with the previous state, adds the findings, and returns the state to keep. */
    private PidState apply(String subject, PidState previous, Observation seen, Run run, List<Finding> findings) {
        ProcessInfo before = previous == null ? null : previous.process();
        ProcessInfo now = seen.process;
        if (before != null && now != null) {
            boolean sameBoot = run.bootId.equals(previous.bootId());
            boolean anotherProcess = !sameBoot || !now.sameProcessAs(before);
            String restart = "PID " + before.pid() + " started " + before.started()
                    + " is now PID " + now.pid() + " started " + now.started();
            // Another executable is the finding whether it came by exec or by a new process (a PID file pointed at
            // another program after its service died), and so is a new process of another user but root (a user's
            // own copy of a service, which anyone may start, left after the service died): that is what the owner
            // must look at, not a restart. A process that changes its own user (a service dropping root once
            // started, or for a while) is none, nor a new one still root before it drops it.
            boolean otherExe = before.exePath() != null && now.exePath() != null && !before.exePath().equals(now.exePath());
            boolean otherUser = anotherProcess && before.uid() >= 0 && now.uid() > 0 && before.uid() != now.uid();
            if (otherExe || otherUser) {
                String runs = (otherExe ? " now runs " + now.exe() + " instead of " + before.exe() : "")
                        + (otherUser ? (otherExe ? ", as " : " now runs as ") + now.user() + " instead of " + before.user() : "");
                findings.add(finding(PidKind.REPLACED, subject, seen.message + runs + (anotherProcess ? ": " + restart : ""),
                        seen.details, before, now));
            } else if (anotherProcess) {
                findings.add(finding(PidKind.RESTARTED, subject, seen.message + " was restarted: " + restart,
                        seen.details, before, now));
            }
        }
        if (seen.kind != null) {
            if (previous == null || !seen.key.equals(previous.problemKey())) {
                findings.add(finding(seen.kind, subject, seen.message, seen.details, before, now));
            }
        } else if (previous != null && previous.problem() != null) {
            Map<String, Object> details = new LinkedHashMap<>(seen.details);
            details.put("problem", previous.problem().name());
            findings.add(finding(PidKind.RECOVERED, subject,
                    seen.message + " recovered from " + previous.problem(), details, before, now));
        }
        // A zombie keeps the facts of its running self (its executable is no longer readable).
        ProcessInfo remembered = now == null || (seen.kind == PidKind.ZOMBIE && now.sameProcessAs(before)) ? before : now;
        String bootId = remembered == now || previous == null ? run.bootId : previous.bootId();
        return new PidState(subject, seen.kind, seen.key, bootId, remembered);
    }

    private Finding finding(PidKind kind, String subject, String message, Map<String, Object> base,
                            ProcessInfo before, ProcessInfo after) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", message);
        details.putAll(base);
        describe(details, "before.", before);
        describe(details, "after.", after);
        details.values().removeIf(Objects::isNull);
        return new Finding(SOURCE, kind.name(), subject, host, clock.instant(), kind.severity(), details);
    }

    private static void describe(Map<String, Object> details, String prefix, ProcessInfo p) {
        if (p == null) {
            return;
        }
        details.put(prefix + "pid", p.pid());
        details.put(prefix + "command", p.command());
        details.put(prefix + "exe", p.exe());
        details.put(prefix + "uid", p.uid());
        details.put(prefix + "user", p.user());
        details.put(prefix + "started", p.started().toString());
    }

    /**
     * The host PID of the process that has {@code nsPid} in the innermost PID namespace and runs with
     * {@code root} as its root directory: several containers each have a PID 1, their roots tell them apart.
     */
    private static Integer hostPid(int nsPid, Path root, Run run) {
        Object rootKey;
        try {
            rootKey = Files.readAttributes(root, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
        for (int candidate : run.namespaced().getOrDefault(nsPid, List.of())) {
            if (rootKey.equals(Proc.rootKey(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
