package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.vigil.os.Libc;
import dev.vigil.os.Proc;
import dev.vigil.os.UserNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who each process is, kept current through the kernel's netlink process connector (exec, fork, exit, comm and
 * uid changes), so that a file event from a process that has already exited ({@code touch}, {@code rm}) can
 * still be attributed: its name, parent and uid were read from /proc/PID/status at exec time, while it lived,
 * and its executable is the one it opened for exec in the fanotify queue ({@link #noteExec}), which a process
 * cannot outrun. The command name is the kernel's ({@code comm}: the name the program was started as, {@code sh}
 * where the executable is {@code /usr/bin/dash}), read from /proc/PID/status between two reads of /proc/PID/exe
 * that name the image fanotify saw; a name that cannot be read so is left unknown, never derived from the
 * executable, which would name {@code sh} "dash" and a script after its interpreter. Exited processes are
 * remembered for a minute, {@value #EXITED_MAX} at most (the most recent): a fork flood of ~70,000 processes a second
 * kept millions for the minute, up to {@code kernel.pid_max}, over a gigabyte of heap; in such a flood an event
 * read a second or more after its process exited is unknown. When the connector is not available (not root, no CONFIG_PROC_EVENTS) identity is
 * read from /proc when asked and cached for a second, and a process already gone is unknown. No library for
 * the process connector exists in Java, hence hand-written.
 */
final class ProcessTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTable.class);

    private static final int PROC_EVENT_FORK = 0x1;
    private static final int PROC_EVENT_EXEC = 0x2;
    private static final int PROC_EVENT_UID = 0x4;
    private static final int PROC_EVENT_COMM = 0x200;
    private static final int PROC_EVENT_EXIT = 0x80000000;
    private static final int NLMSG_HEADER = 16;
    private static final int CN_MSG_HEADER = 20;
    private static final long EXITED_RETENTION_NANOS = 60_000_000_000L;
    private static final long UNCONNECTED_TTL_NANOS = 1_000_000_000L;
    private static final long CATCH_UP_LIMIT_NANOS = 20_000_000L;
    static final int EXITED_MAX = 65_536;

    /**
     * @param execRead whether {@code info} was read from /proc after the process's latest exec (else it is what
     *                 the process inherited at fork, or what /proc said when first asked)
     */
    private record Entry(ProcessInfo info, long seenAt, long exitedAt, boolean execRead) {

        Entry(ProcessInfo info, long seenAt, long exitedAt) {
            this(info, seenAt, exitedAt, false);
        }
    }

    /** A process's exit, in the order read. */
    private record Exit(int pid, long exitedAt) {
    }

    /** An executable opened for exec, and when that was read (System.nanoTime: the connector's clock too). */
    private record Image(String exe, long notedAt) {
    }

    private final Map<Integer, Entry> entries = new ConcurrentHashMap<>();
    /** The last executable each process opened for exec, in fanotify order (see {@link #noteExec}). */
    private final Map<Integer, Image> images = new ConcurrentHashMap<>();
    private final int socket;
    private final Wakeup wakeup;
    private final Thread thread;
    private final ReentrantLock drainLock = new ReentrantLock();
    /** The exits of the exited processes {@link #entries} remembers, oldest first; applied under drainLock. */
    private final ArrayDeque<Exit> exits = new ArrayDeque<>();
    private final int exitedMax;
    private final Memory readerBuffer = new Memory(8192);
    private volatile boolean running = true;
    private int exitsSinceSweep;

    private ProcessTable(int socket, int exitedMax) {
        this.socket = socket;
        this.exitedMax = exitedMax;
        if (socket >= 0) {
            wakeup = new Wakeup();
            thread = new Thread(this::run, "vigil-proc-connector");
            thread.setDaemon(true);
            thread.start();
        } else {
            wakeup = null;
            thread = null;
        }
    }

    /** A table following the process connector when {@code follow} and the kernel allows it. */
    static ProcessTable start(boolean follow) {
        return start(follow, EXITED_MAX);
    }

    /** {@link #start(boolean)} remembering at most {@code exitedMax} exited processes. */
    static ProcessTable start(boolean follow, int exitedMax) {
        if (!follow || !Libc.SUPPORTED) {
            return new ProcessTable(-1, exitedMax);
        }
        int fd = -1;
        try {
            fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.NETLINK_CONNECTOR);
            try {
                // exec storms (a parallel build) must not overflow the socket: 4 MiB, beyond rmem_max for root
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, new int[] {4 << 20}, 4);
            } catch (LastErrorException e) {
                LOG.debug("process connector keeps the default receive buffer: {}", e.getMessage());
            }
            try (Memory addr = new Memory(12)) {
                addr.clear();
                addr.setShort(0, (short) Libc.AF_NETLINK);
                addr.setInt(8, Libc.CN_IDX_PROC);
                Libc.bind(fd, addr, 12);
            }
            try (Memory msg = new Memory(NLMSG_HEADER + CN_MSG_HEADER + 4)) {
                msg.clear();
                msg.setInt(0, (int) msg.size());
                msg.setShort(4, (short) Libc.NLMSG_DONE);
                msg.setInt(12, Libc.getpid());
                msg.setInt(16, Libc.CN_IDX_PROC);
                msg.setInt(20, Libc.CN_VAL_PROC);
                msg.setShort(32, (short) 4);
                msg.setInt(36, Libc.PROC_CN_MCAST_LISTEN);
                Libc.send(fd, msg, msg.size(), 0);
            }
            return new ProcessTable(fd, exitedMax);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            if (fd >= 0) {
                Libc.close(fd);
            }
            LOG.info("process connector not available ({}); processes that exit before their event is read "
                    + "will be unknown", e.getMessage());
            return new ProcessTable(-1, exitedMax);
        }
    }

    boolean connected() {
        return socket >= 0;
    }

    /**
     * Applies every exec/fork message the connector has queued so far, so a file event read before this call is
     * never attributed to the pre-exec image of its process. The reader thread drains the socket itself rather
     * than wait for the connector thread to be scheduled; it waits only while that thread is mid-drain, and
     * never longer than a bound.
     */
    void catchUp() {
        if (socket < 0) {
            return;
        }
        try {
            if (!drainLock.tryLock(CATCH_UP_LIMIT_NANOS, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            drain(readerBuffer);
        } finally {
            drainLock.unlock();
        }
    }

    /**
     * Records that {@code pid} opened {@code exe} for execution, as seen in the fanotify queue itself. The
     * connector's /proc read at exec time can lose the race against a process that lives a millisecond; the
     * fanotify OPEN_EXEC event cannot, and it is ordered before the process's file events in the same queue.
     * The ELF interpreter is opened for exec after the program and is skipped.
     */
    void noteExec(int pid, Path exe) {
        Path name = exe.getFileName();
        if (name == null || name.toString().startsWith("ld-linux") || name.toString().startsWith("ld.so")
                || name.toString().startsWith("ld-musl")) {
            return;
        }
        if (images.size() > 65_536) {
            images.clear();
        }
        images.put(pid, new Image(exe.toString(), System.nanoTime()));
    }

    /** The identity of {@code pid}, from the table or /proc; unknown fields are null/-1, never blocks long. */
    ProcessInfo lookup(int pid) {
        if (pid <= 0) {
            return ProcessInfo.unknown(pid);
        }
        Entry entry = entries.get(pid);
        long now = System.nanoTime();
        ProcessInfo info;
        boolean readNow = false;
        if (entry != null && (socket >= 0 || now - entry.seenAt < UNCONNECTED_TTL_NANOS)) {
            info = entry.info;
        } else {
            info = readProc(pid, -1);
            readNow = true;
            if (info.known()) {
                Entry read = new Entry(info, now, 0);
                if (socket >= 0) {
                    entries.putIfAbsent(pid, read); // not over an exit the connector applied meanwhile
                } else {
                    entries.put(pid, read); // refreshes the cached read; nothing else writes the table
                }
            }
        }
        Image noted = images.get(pid);
        String image = noted == null ? null : noted.exe;
        if (image == null) {
            // no exec seen: /proc's executable (a program outside the filesystems with exec marks) if still there
            String exe = info.exe() != null || !info.known() ? info.exe() : Proc.exe(pid);
            return new ProcessInfo(pid, info.ppid(), info.comm(), exe, info.uid(), info.user());
        }
        if ((readNow || entry.execRead) && image.equals(info.exe())) {
            return info; // read just now, or at the exec: this image's name, not another's
        }
        // the fanotify-ordered image is newer than what was read (or the read lost the race): the name read then
        // belongs to another image; /proc may still tell this one's, else it stays unknown
        ProcessInfo current = readProc(pid, info.ppid());
        String comm = image.equals(current.exe()) ? current.comm() : null;
        return new ProcessInfo(pid, info.ppid(), comm, image, info.uid(), info.user());
    }

    private void run() {
        runInRealTime();
        Memory buffer = new Memory(8192);
        while (running) {
            if (!wakeup.await(socket)) {
                break;
            }
            drainLock.lock();
            try {
                drain(buffer);
            } finally {
                drainLock.unlock();
            }
        }
    }

    /**
     * Runs this thread at the lowest real-time priority (round-robin 1). It races each new process against its
     * exit: the name is read from /proc while the process lives, and a shell's one write lasts a millisecond. At
     * an ordinary priority, on a machine whose cores are busy, its wake-up waited up to tens of milliseconds (a
     * tenth of exec messages over 5 ms, measured with other builds running; a nice value of -10 and a short
     * scheduler slice changed nothing), and the name of one short-lived writer in thirty was lost; in real-time
     * it was read within 0.15 ms for nine in ten. It sleeps between messages and each costs a few /proc reads,
     * so it takes CPU only as processes start and end; the kernel's real-time throttling bounds even a storm of
     * them. Where the process may not (no CAP_SYS_NICE, systemd's RestrictRealtime=) it keeps its priority.
     */
    private static void runInRealTime() {
        try {
            Libc.sched_setscheduler(0, Libc.SCHED_RR, new int[] {1});
        } catch (LastErrorException e) {
            LOG.info("the process connector runs at an ordinary priority ({}): on a busy machine the names of "
                    + "processes that live a few milliseconds may be missed", Libc.reason(e.getErrorCode()));
        }
    }

    /** Reads and applies every message queued on the socket, without blocking; call under drainLock. */
    private void drain(Memory buffer) {
        while (true) {
            long n = Libc.recv(socket, buffer, buffer.size(), Libc.MSG_DONTWAIT);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Libc.EAGAIN) {
                    return;
                }
                if (errno == Libc.EINTR || errno == Libc.ENOBUFS) {
                    // ENOBUFS: the kernel dropped connector messages; lookups of those fall back to /proc
                    continue;
                }
                LOG.warn("process connector read failed, errno {}", errno);
                return;
            }
            if (n == 0) {
                return;
            }
            parse(buffer, (int) n);
        }
    }

    private void parse(Pointer buffer, int length) {
        int offset = 0;
        while (offset + NLMSG_HEADER + CN_MSG_HEADER + 16 <= length) {
            int messageLength = buffer.getInt(offset);
            if (messageLength < NLMSG_HEADER || offset + messageLength > length) {
                return;
            }
            int event = offset + NLMSG_HEADER + CN_MSG_HEADER;
            apply(buffer, event);
            offset += (messageLength + 3) & ~3;
        }
    }

    private void apply(Pointer b, int event) {
        int what = b.getInt(event);
        int data = event + 16;
        long now = System.nanoTime();
        switch (what) {
            case PROC_EVENT_FORK -> {
                int parent = b.getInt(data + 4);
                int childPid = b.getInt(data + 8);
                int child = b.getInt(data + 12);
                if (childPid != child) {
                    return;
                }
                Entry parentEntry = entries.get(parent);
                ProcessInfo parentInfo = parentEntry != null ? parentEntry.info : readProc(parent, -1);
                // an image noted after the fork (its message read late) is the child's own exec, not a reused pid's
                long forkedAt = b.getLong(event + 8);
                Image own = images.get(child);
                Image parentImage = images.get(parent);
                if (own == null || own.notedAt < forkedAt) {
                    if (parentImage != null) {
                        images.put(child, parentImage);
                    } else {
                        images.remove(child);
                    }
                }
                // the child runs its parent's image under its parent's name, as far as that name was sure
                boolean sure = parentEntry != null && parentEntry.execRead && parentImage != null
                        && parentImage.exe.equals(parentInfo.exe());
                entries.put(child, new Entry(parentInfo.withPid(child, parent), now, 0, sure));
            }
            case PROC_EVENT_EXEC -> {
                int tgid = b.getInt(data + 4);
                Entry old = entries.get(tgid);
                int ppid = old != null ? old.info.ppid() : -1;
                ProcessInfo info = readProc(tgid, ppid);
                if (!info.known() && old != null) {
                    // gone already: what it inherited at fork (uid, parent) still holds, its image is unknown
                    info = new ProcessInfo(tgid, old.info.ppid(), null, null, old.info.uid(), old.info.user());
                }
                entries.put(tgid, new Entry(info, now, 0, true));
            }
            case PROC_EVENT_COMM -> {
                int tgid = b.getInt(data + 4);
                if (b.getInt(data) != tgid) {
                    return;
                }
                byte[] comm = b.getByteArray(data + 8, 16);
                Entry old = entries.get(tgid);
                if (old != null) {
                    entries.put(tgid, new Entry(old.info.withComm(cString(comm)), now, old.exitedAt, old.execRead));
                }
            }
            case PROC_EVENT_UID -> {
                int tgid = b.getInt(data + 4);
                int ruid = b.getInt(data + 8);
                Entry old = entries.get(tgid);
                if (old != null) {
                    ProcessInfo i = old.info;
                    entries.put(tgid, new Entry(new ProcessInfo(i.pid(), i.ppid(), i.comm(), i.exe(), ruid,
                            UserNames.SYSTEM.name(ruid)), now, old.exitedAt, old.execRead));
                }
            }
            case PROC_EVENT_EXIT -> {
                int pid = b.getInt(data);
                int tgid = b.getInt(data + 4);
                if (pid != tgid) {
                    return;
                }
                Entry old = entries.get(tgid);
                if (old != null) {
                    entries.put(tgid, new Entry(old.info, old.seenAt, now, old.execRead));
                    exits.add(new Exit(tgid, now));
                    while (exits.size() > exitedMax) {
                        forget(exits.poll());
                    }
                }
                if (++exitsSinceSweep >= 1024) {
                    exitsSinceSweep = 0;
                    while (!exits.isEmpty() && now - exits.peek().exitedAt > EXITED_RETENTION_NANOS) {
                        forget(exits.poll());
                    }
                    images.keySet().retainAll(entries.keySet());
                }
            }
            default -> {
            }
        }
    }

    /** Forgets the process of {@code exit}, unless its pid is another process's since. */
    private void forget(Exit exit) {
        Entry e = entries.get(exit.pid());
        if (e != null && e.exitedAt == exit.exitedAt() && entries.remove(exit.pid(), e)) {
            images.remove(exit.pid());
        }
    }

    /** How many exited processes are remembered. */
    int exitedKept() {
        return (int) entries.values().stream().filter(e -> e.exitedAt != 0).count();
    }

    /** Whether {@code pid} is remembered as exited. */
    boolean remembersExit(int pid) {
        Entry e = entries.get(pid);
        return e != null && e.exitedAt != 0;
    }

    /**
     * Reads what /proc still says about {@code pid}. The name is status's Name: (to spare a read of comm), and
     * is kept only when the executable read before and after it is the same: an exec in between would pair one
     * image's name with another's executable. A zombie keeps its status but loses its executable, so its name
     * is unknown too.
     */
    private static ProcessInfo readProc(int pid, int knownPpid) {
        String exe = Proc.exe(pid);
        Proc.Status status = Proc.status(pid);
        if (status == null) {
            return ProcessInfo.unknown(pid);
        }
        String comm = status.name();
        if (exe == null || !exe.equals(Proc.exe(pid))) {
            exe = null;
            comm = null;
        }
        int uid = status.realUid();
        return new ProcessInfo(pid, status.ppid() >= 0 ? status.ppid() : knownPpid, comm, exe, uid,
                uid >= 0 ? UserNames.SYSTEM.name(uid) : null);
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0 && bytes[length] != '\n') {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            wakeup.wake();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Libc.close(socket);
            wakeup.close();
        }
    }
}
