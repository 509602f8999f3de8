package dev.vigil.logcheck;

import dev.vigil.config.Key;
import dev.vigil.os.RegularFileChannel;
import dev.vigil.text.EscapedUtf8;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows log files line by line across rotations and restarts, as logcheck's {@code logtail2} does between
 * cron runs, but continuously.
 *
 * <p>Each file is remembered by device, inode, the offset after its last complete line, and a fingerprint of
 * its first bytes ({@link Position}). A poll ({@link #read}) handles, per file:
 * <ul>
 *   <li><b>rotation by rename</b>: the path now names another inode. The old file is still open, so it is
 *       read to its end first, then the new one from its start; the old one is kept open and read on later polls
 *       until a poll finds nothing new in it, because the writer goes on writing to it until it reopens
 *       its log (logrotate's {@code postrotate} signal comes after the new file exists).</li>
 *   <li><b>copytruncate</b>: the file is smaller than the offset, or its first bytes changed: read from the
 *       start. Lines written between the last poll and the copy are in the copy only and are lost, as with
 *       every reader of a copytruncated log.</li>
 *   <li><b>a missing file</b>: warned about once; the old file, if open, is still read; a file that appears
 *       later is read from its start.</li>
 *   <li><b>a restart</b>: the stored position is taken up again; if the path now names another file, the
 *       rotated one is looked for next to it (same device and inode, {@code syslog.1}, {@code auth.log-2026...})
 *       and its rest read first. So are the rest of the files rotated away while running that were still read at the
 *       last commit (a backlog across a rotation, or a writer still writing to the renamed file): their positions
 *       are saved with the path's.</li>
 * </ul>
 * A last line without its newline waits until the newline comes, except at the end of a rotated file, which
 * nobody will finish. Positions reached by a read are saved only by {@link #commit()}, which the caller calls
 * once the lines are handled: a crash in between reads them again rather than losing them.
 *
 * <p>A line longer than {@code maxLine} bytes is handed out once, as its first {@code maxLine} bytes with its
 * whole length ({@link Line#truncated()}); the rest up to its newline is read past without being kept, so
 * memory stays bounded and no part of it is taken for a line of its own.
 *
 * <p>Lines are ISO-8859-1, one char per byte, as {@link LogLines} reads them: rules match them as
 * {@code grep} does in the locale ({@link GrepLocale}; {@link LogLines#shown} is the UTF-8 text for people).
 *
 * <p>Not thread-safe. Hand-written: library tailers (Commons IO's {@code Tailer}, not a dependency here anyway) keep no offsets across restarts
 * and notice a rotation only as a file that shrank, reopening by name, which loses the end of a renamed log.
 */
public final class LogTail implements Closeable {

    /** How far a file was read. {@code fingerprint} is the SHA-256 (hex) of its first {@code fingerprintLength} bytes. */
    public record Position(long device, long inode, long offset, int fingerprintLength, String fingerprint) {}

    /** Where positions are kept between runs (the {@code log_offset} and {@code log_rotated} tables). */
    public interface Offsets {
        /** Per path, the position in the file it names (as last read). */
        Map<Path, Position> load();

        /** Per path, the files rotated away from it that were still being read, oldest first. */
        Map<Path, List<Position>> loadRotated();

        /**
         * Saves the {@code changed} positions and, for each path in {@code rotated}, its rotated files' positions in
         * place of those kept, together.
         */
        void save(Map<Path, Position> changed, Map<Path, List<Position>> rotated);
    }

    /** What a tail tells its owner besides lines. */
    public interface Listener {
        /** {@code file} was rotated: {@code how} is {@code renamed} or {@code truncated}. */
        void rotated(Path file, String how);

        /** Something the owner should hear about once, such as a missing or unreadable file. */
        void warn(Path file, String message);
    }

    /**
     * A line and the path of the log it was read from (the configured path, also for a rotated file). The text
     * is its bytes, one char each (ISO-8859-1), cut to the first {@code maxLine} bytes (and back to a whole
     * UTF-8 sequence) when the line is longer; {@code length} is the whole line's length in bytes.
     */
    public record Line(Path file, String text, long length) {
        /** Whether the text is only the start of the line. */
        public boolean truncated() {
            return length > text.length();
        }
    }

    /** The default {@code maxLine}: far above any real log line, small enough to classify and send. */
    public static final int DEFAULT_MAX_LINE = Integer.parseInt(Key.LOGS_MAX_LINE.defaultValue());
    /** Bytes read from a file at a time. */
    private static final int READ_CHUNK = 64 * 1024;

    /** Enough to tell a rewritten file from the one read, and cheap to check on every poll. */
    static final int FINGERPRINT_BYTES = 1024;
    /** Polls in a row that find nothing new in a rotated-away file before it is closed. */
    static final int QUIET_POLLS = 3;

    private final Map<Path, Followed> files = new LinkedHashMap<>();
    private final Offsets offsets;
    private final Listener listener;
    private final long maxBytes;
    private final int maxLine;

    /**
     * @param paths    the log files to follow
     * @param fromEnd  a file with no stored position that exists at the first poll is read from its end (what
     *                 is already in it is history, not news); a file that appears later is read from its start
     * @param maxBytes about how many bytes one {@link #read()} takes from all files together; the rest waits for
     *                 the next read, so a large backlog is worked through in batches
     * @param maxLine  the most bytes of one line kept: a longer line is handed out once, cut to this (see
     *                 {@link Line}), never in pieces, so its tail cannot pass for a line of its own
     */
    public LogTail(List<Path> paths, Offsets offsets, Listener listener, boolean fromEnd, long maxBytes, int maxLine) {
        if (maxLine < 1) {
            throw new IllegalArgumentException("maxLine must be positive: " + maxLine);
        }
        this.offsets = offsets;
        this.listener = listener;
        this.maxBytes = maxBytes;
        this.maxLine = maxLine;
        Map<Path, Position> stored = offsets.load();
        Map<Path, List<Position>> rotated = offsets.loadRotated();
        for (Path p : paths) {
            files.putIfAbsent(p, new Followed(p, stored.get(p), rotated.getOrDefault(p, List.of()), fromEnd));
        }
    }

    /**
     * The lines written since the last read, file by file in the configured order, each file's in its order; each
     * file takes at most its share of {@code maxBytes}, so a flooded file (syslog, which any user can write to) holds
     * back the others' lines (auth.log's) by one read, not by its whole backlog.
     */
    public List<Line> read() {
        List<Line> out = new ArrayList<>();
        long share = Math.max(1, maxBytes / Math.max(1, files.size()));
        for (Followed f : files.values()) {
            f.read(out, share);
        }
        return out;
    }

    /** Whether the last {@link #read()} stopped at its byte budget with more to read. */
    public boolean behind() {
        return files.values().stream().anyMatch(f -> f.behind);
    }

    /**
     * Goes back, in memory, to where the last {@link #commit()} left each open file (one opened since: where it was
     * opened), the files rotated away and still read among them, and keeps open a rotated file the reads since would
     * have closed: the next read hands out again the lines read since, for a caller that could not handle them. A
     * rotation seen since is not seen again (its new file is read from its start).
     */
    public void rewind() {
        files.values().forEach(Followed::rewind);
    }

    /**
     * Saves the positions reached by the reads so far, those of the rotated files still read among them; they count as
     * saved once the store has taken them, and only then are rotated files that went quiet closed.
     */
    public void commit() {
        Map<Path, Position> changed = new LinkedHashMap<>();
        Map<Path, List<Position>> rotated = new LinkedHashMap<>();
        for (Followed f : files.values()) {
            if (f.current != null && !f.current.position().equals(f.saved)) {
                changed.put(f.path, f.current.position());
            }
            List<Position> retiring = new ArrayList<>(f.retiring.stream().map(Open::position).toList());
            retiring.addAll(f.storedRotated);
            if (!retiring.equals(f.savedRotated)) {
                rotated.put(f.path, retiring);
            }
        }
        if (!changed.isEmpty() || !rotated.isEmpty()) {
            offsets.save(changed, rotated);
            changed.forEach((path, position) -> files.get(path).saved = position);
            rotated.forEach((path, positions) -> files.get(path).savedRotated = positions);
        }
        files.values().forEach(Followed::committed);
    }

    @Override
    public void close() {
        files.values().forEach(Followed::close);
    }

    /** One open file and how far it has been read. */
    private final class Open {
        final FileChannel channel;
        final long device;
        final long inode;
        /** The start of the first line not yet handed out: what is saved. */
        long offset;
        /** {@link #offset} at the last commit, or where the file was opened since: what a rewind goes back to. */
        long committed;
        /** Where the next read goes on: past {@code offset} while a line is read in part. */
        long scan;
        /** The first bytes (at most {@code maxLine}) of the line read in part. */
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int fpLength;
        String fp = "";
        boolean behind;
        int quietPolls;

        Open(FileChannel channel, long device, long inode) {
            this.channel = channel;
            this.device = device;
            this.inode = inode;
        }

        /**
         * Appends the complete lines from where the last read stopped (reading at most {@code limit} bytes; none
         * when it is 0) and returns the bytes read; with {@code last}, a final line without newline is taken too.
         * Of a line longer than {@code maxLine} only the first {@code maxLine} bytes are kept, and the rest up to
         * its newline is read past without being kept.
         */
        long lines(Path logfile, List<Line> out, long limit, boolean last) throws IOException {
            long size = channel.size();
            long end = limit >= size - scan ? size : scan + limit;
            behind = end < size;
            long start = scan;
            if (end > scan) {
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(end - scan, READ_CHUNK));
                while (scan < end) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end - scan));
                    int n = channel.read(buf, scan);
                    if (n <= 0) {
                        break;
                    }
                    byte[] bytes = buf.array();
                    int from = 0;
                    for (int i = 0; i < n; i++) {
                        if (bytes[i] == '\n') {
                            keep(bytes, from, i);
                            out.add(line(logfile, scan + i - offset));
                            offset = scan + i + 1;
                            from = i + 1;
                        }
                    }
                    keep(bytes, from, n);
                    scan += n;
                }
            }
            if (last && scan > offset) {
                out.add(line(logfile, scan - offset));
                offset = scan;
            }
            return scan - start;
        }

        private void keep(byte[] bytes, int from, int to) {
            int room = maxLine - head.size();
            if (room > 0 && to > from) {
                head.write(bytes, from, Math.min(room, to - from));
            }
        }

        /** The line whose first bytes are in {@code head}; {@code length} is its whole length. */
        private Line line(Path logfile, long length) {
            byte[] bytes = head.toByteArray();
            head.reset();
            int kept = length > bytes.length ? EscapedUtf8.wholeSequences(bytes, bytes.length) : bytes.length;
            return new Line(logfile, new String(bytes, 0, kept, StandardCharsets.ISO_8859_1), length);
        }

        /** Reads from {@code at} on, which is the start of a line, forgetting a line read in part. */
        void restart(long at) {
            offset = at;
            scan = at;
            head.reset();
        }

        /** Reads from {@code at} on, as {@link #restart}, and a rewind comes back there too (a file opened, truncated). */
        void startAt(long at) {
            restart(at);
            committed = at;
        }

        /** Whether the file is now shorter than what was read of it. */
        boolean shrunk() throws IOException {
            return channel.size() < scan;
        }

        Position position() {
            return new Position(device, inode, offset, fpLength, fp);
        }

        /** Whether the file still starts with the bytes it started with; extends a short fingerprint. */
        boolean sameStart() throws IOException {
            if (fpLength > 0 && !fingerprint(channel, fpLength).equals(fp)) {
                return false;
            }
            long size = channel.size();
            if (fpLength < FINGERPRINT_BYTES && size > fpLength) {
                fpLength = (int) Math.min(size, FINGERPRINT_BYTES);
                fp = fingerprint(channel, fpLength);
            }
            return true;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it
            }
        }
    }

    private final class Followed {
        final Path path;
        Position stored;
        /**
         * The rotated files still read at the last commit before a restart, oldest first, not yet opened: their rest is
         * read first, and saved as it was until then.
         */
        List<Position> storedRotated;
        /** Polls in a row that failed to open the first of {@link #storedRotated}: given up after {@value #QUIET_POLLS}. */
        int storedRotatedFailures;
        boolean fromEnd;
        Open current;
        final List<Open> retiring = new ArrayList<>();
        Position saved;
        List<Position> savedRotated;
        /** Rotated files that went quiet, closed at the next commit (a rewind reads them again). */
        final List<Open> closing = new ArrayList<>();
        boolean behind;
        String warned;

        Followed(Path path, Position stored, List<Position> storedRotated, boolean fromEnd) {
            this.path = path;
            this.stored = stored;
            this.saved = stored;
            this.storedRotated = storedRotated;
            this.savedRotated = storedRotated;
            this.fromEnd = fromEnd;
        }

        long read(List<Line> out, long budget) {
            long taken = 0;
            try {
                taken += drainRetiring(out, budget);
                Stat stat = Stat.of(path);
                if (current == null) {
                    taken += openFirst(stat, out, budget - taken);
                } else if (stat == null) {
                    warnOnce(path + " is missing; still reading the file it named until a new one appears");
                } else if (stat.device != current.device || stat.inode != current.inode) {
                    taken += current.lines(path, out, budget - taken, false);
                    if (!current.behind) {
                        retiring.add(current);
                        current = null;
                        open(stat, 0);
                        listener.rotated(path, "renamed");
                    }
                } else if (current.shrunk() || !current.sameStart()) {
                    current.startAt(0);
                    current.fpLength = 0;
                    current.sameStart();
                    listener.rotated(path, "truncated");
                }
                if (current != null) {
                    taken += current.lines(path, out, budget - taken, false);
                    current.sameStart();
                    if (stat != null && stat.inode == current.inode) {
                        warned = null;
                    }
                }
            } catch (IOException e) {
                warnOnce("cannot read " + path + ": " + e.getMessage());
                // tried again at the next poll: behind, a read failing at the same place (EIO) would be tried at once, for good
                behind = false;
                return taken;
            }
            behind = (current != null && current.behind) || retiring.stream().anyMatch(o -> o.behind);
            return taken;
        }

        /**
         * Reads rotated-away files still open; drops one after {@value #QUIET_POLLS} polls in a row found nothing
         * new in it, since the writer may reopen its log a little after the new file appeared.
         */
        private long drainRetiring(List<Line> out, long budget) throws IOException {
            long taken = 0;
            for (Iterator<Open> it = retiring.iterator(); it.hasNext(); ) {
                Open old = it.next();
                long n = old.lines(path, out, budget - taken, false);
                taken += n;
                old.quietPolls = n == 0 && !old.behind ? old.quietPolls + 1 : 0;
                if (old.quietPolls >= QUIET_POLLS) {
                    taken += old.lines(path, out, Long.MAX_VALUE, true);
                    it.remove();
                    closing.add(old);
                }
            }
            return taken;
        }

        /**
         * The first open of this path since start: the rest of the rotated files still read at the last commit first,
         * then take up the stored position, or start as configured.
         */
        private long openFirst(Stat stat, List<Line> out, long budget) throws IOException {
            long taken = 0;
            while (!storedRotated.isEmpty()) {
                try {
                    taken += finishRotatedAway(storedRotated.get(0), true, out, Math.max(0, budget - taken));
                } catch (IOException e) {
                    // tried again at the next poll (a file limit reached, say), and the position kept meanwhile
                    if (++storedRotatedFailures < QUIET_POLLS) {
                        throw e;
                    }
                    listener.warn(path, "a file rotated away from " + path + " that was still read when Vigil stopped"
                            + " cannot be read (" + e.getMessage() + "): lines written to it after the last read are lost");
                }
                storedRotatedFailures = 0;
                storedRotated = storedRotated.subList(1, storedRotated.size());
            }
            if (stat == null) {
                fromEnd = false;
                warnOnce(path + " is missing, not readable or not a regular file (a symlink is not followed); it is looked"
                        + " for again on every poll");
                return taken;
            }
            // the stored position (and where a first run starts) is let go only once the file is open: an open that
            // fails (a file limit reached) is tried again at the next poll from the same place
            Position p = stored;
            long offset;
            if (p == null) {
                offset = fromEnd ? stat.size : 0;
            } else if (p.device() == stat.device && p.inode() == stat.inode) {
                offset = p.offset();
            } else {
                taken += finishRotatedAway(p, false, out, Math.max(0, budget - taken));
                stored = null;
                fromEnd = false;
                offset = 0;
                listener.rotated(path, "renamed");
            }
            open(stat, offset);
            if (current == null) {
                return taken;
            }
            stored = null;
            fromEnd = false;
            if (p != null && offset > 0) {
                current.fpLength = p.fingerprintLength();
                current.fp = p.fingerprint();
                if (current.shrunk() || !current.sameStart()) {
                    current.startAt(0);
                    current.fpLength = 0;
                    listener.rotated(path, "truncated");
                }
            }
            return taken;
        }

        /** Opens the path, which {@code stat} described, to read from {@code offset}; warns once when it cannot. */
        private void open(Stat stat, long offset) {
            try {
                RegularFileChannel.Opened opened = RegularFileChannel.open(path);
                if (opened.inode() != stat.inode || opened.device() != stat.device) {
                    // replaced between stat and open: try again on the next poll
                    opened.channel().close();
                    return;
                }
                current = new Open(opened.channel(), stat.device, stat.inode);
                current.startAt(offset);
                if (offset == 0) {
                    current.sameStart();
                }
                warned = null;
            } catch (IOException e) {
                warnOnce(path + " cannot be opened (" + e.getMessage() + "); it is tried again on every poll");
            }
        }

        /**
         * After a restart: the rest of the file the stored position belonged to, if it is still beside the path; read on
         * later polls as a file rotated away while running, after those already so. One that was still read at the last
         * commit ({@code stillRead}, rotated then) is kept open until it goes quiet, as its writer may still write to it;
         * another is closed at its end.
         */
        private long finishRotatedAway(Position p, boolean stillRead, List<Line> out, long budget) throws IOException {
            Path dir = path.toAbsolutePath().getParent();
            String name = path.getFileName().toString();
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, e -> e.getFileName().toString().startsWith(name)
                    && !e.getFileName().toString().equals(name))) {
                for (Path sibling : siblings) {
                    Stat s = Stat.of(sibling);
                    if (s == null || s.device != p.device() || s.inode != p.inode()) {
                        continue;
                    }
                    RegularFileChannel.Opened opened = RegularFileChannel.open(sibling);
                    if (opened.inode() != s.inode || opened.device() != s.device) {
                        opened.channel().close();
                        continue;
                    }
                    Open old = new Open(opened.channel(), s.device, s.inode);
                    old.fpLength = p.fingerprintLength();
                    old.fp = p.fingerprint();
                    try {
                        if (s.size < p.offset() || !old.sameStart()) {
                            old.close();
                            break;
                        }
                        old.startAt(p.offset());
                        // a file rotated before it and still behind has taken the budget: its lines come first
                        long taken = old.lines(path, out, budget, false);
                        if (stillRead || old.behind || !retiring.isEmpty()) {
                            retiring.add(old);
                        } else {
                            // closed at the commit after its end (a rewind reads it again)
                            taken += old.lines(path, out, Long.MAX_VALUE, true);
                            closing.add(old);
                        }
                        return taken;
                    } catch (IOException | RuntimeException e) {
                        old.close();
                        throw e;
                    }
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            if (stillRead) {
                listener.warn(path, "a file rotated away from " + path + " was still read when Vigil stopped and is no longer"
                        + " beside it (compressed or removed): lines written to it after the last read are lost");
            } else if (p.offset() > 0) {
                listener.warn(path, path + " was rotated while Vigil was not running and the old file is not beside it"
                        + " (compressed or removed): lines written to it after the last read are lost");
            }
            return 0;
        }

        private void warnOnce(String message) {
            if (!message.equals(warned)) {
                warned = message;
                listener.warn(path, message);
            }
        }

        void close() {
            if (current != null) {
                current.close();
            }
            retiring.forEach(Open::close);
            closing.forEach(Open::close);
        }

        /** See {@link LogTail#rewind()}. */
        void rewind() {
            retiring.addAll(0, closing);
            closing.clear();
            for (Open o : retiring) {
                o.restart(o.committed);
                o.quietPolls = 0;
                o.behind = false;
            }
            if (current != null) {
                current.restart(current.committed);
                current.behind = false;
            }
            behind = false;
        }

        /** See {@link LogTail#commit()}: what was read is where a rewind comes back to. */
        void committed() {
            closing.forEach(Open::close);
            closing.clear();
            retiring.forEach(o -> o.committed = o.offset);
            if (current != null) {
                current.committed = current.offset;
            }
        }
    }

    private record Stat(long device, long inode, long size) {
        /**
         * The file's identity, or null when it is missing or not a readable regular file: a symlink is not followed,
         * as a log is read by root from a directory its service's account may write to (a link to /etc/shadow would
         * send its lines to every channel), and {@link RegularFileChannel} opens none either.
         */
        static Stat of(Path p) throws IOException {
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size", LinkOption.NOFOLLOW_LINKS);
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(p)) {
                    return null;
                }
                return new Stat(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
                        ((Number) a.get("size")).longValue());
            } catch (NoSuchFileException | AccessDeniedException e) {
                return null;
            }
        }
    }

    static String fingerprint(FileChannel channel, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long at = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(buf.array(), 0, buf.position());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
