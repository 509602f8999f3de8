package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells a mount or unmount at or below an area, or over an ancestor of one, as a {@link EventType#MOUNT} or
 * {@link EventType#UNMOUNT} event on the mount point. Neither fanotify nor inotify says anything when a mount
 * covers a watched directory, and from then on what happens in the mounted tree is not seen: a tmpfs is another
 * filesystem without a mark, a bind mount's events name the directory it came from, outside the areas, and
 * inotify's watches stay on the covered directories. The kernel signals every change of the mount table by
 * POLLPRI on {@code /proc/self/mountinfo} (proc(5)); each signal re-reads the table and compares it, by mount id,
 * with the one read before.
 */
public final class MountWatch implements AutoCloseable {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line of mountinfo: the mount's id, where it is, what it shows and from where. */
    record Mount(int id, Path mountPoint, String root, String fsType, String source) {

        /** What the event says about it (and the finding after it). */
        String describe() {
            return "type " + fsType + ", source " + source + ", root " + root;
        }
    }

    private final List<Path> areas;
    private final EventSink sink;
    private final int fd;
    private final Wakeup wakeup = new Wakeup();
    private Map<Integer, Mount> known;

    MountWatch(List<Path> areas, EventSink sink) throws WatchException {
        this.areas = areas;
        this.sink = sink;
        try {
            fd = Libc.open(PathBytes.cString(MOUNTINFO), Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            wakeup.close();
            throw new WatchException("cannot open " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        known = read();
    }

    /** Whether a mount at {@code mountPoint} changes what is seen under {@code area}: at or below it, or above it. */
    public static boolean affects(Path mountPoint, Path area) {
        return mountPoint.startsWith(area) || area.startsWith(mountPoint);
    }

    /** Waits for mount table changes and tells those that touch the areas, until {@link #stop()}. */
    void run() {
        while (wakeup.await(fd, Libc.POLLPRI, -1)) {
            Map<Integer, Mount> now = read();
            Instant time = Instant.now();
            for (Mount m : now.values()) {
                if (!known.containsKey(m.id())) {
                    tell(EventType.MOUNT, m, time);
                }
            }
            for (Mount m : known.values()) {
                if (!now.containsKey(m.id())) {
                    tell(EventType.UNMOUNT, m, time);
                }
            }
            known = now;
        }
    }

    private void tell(EventType type, Mount m, Instant time) {
        if (areas.stream().anyMatch(area -> affects(m.mountPoint(), area))) {
            sink.emit(FileEvent.mountChange(type, m.mountPoint(), time, m.describe()));
        }
    }

    private Map<Integer, Mount> read() {
        try {
            return parse(Files.readAllBytes(MOUNTINFO));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
    }

    /**
     * The mounts of a mountinfo text, by id. Each line: id, parent id, device, root, mount point, options, optional
     * fields, {@code -}, filesystem type, source, superblock options; a space, tab, newline or backslash in a field
     * is written as an octal escape ({@code \040}).
     */
    static Map<Integer, Mount> parse(byte[] text) {
        Map<Integer, Mount> mounts = new LinkedHashMap<>();
        int start = 0;
        while (start < text.length) {
            int end = start;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            List<byte[]> fields = fields(text, start, end);
            int separator = -1;
            for (int i = 6; i < fields.size() && separator < 0; i++) {
                if (fields.get(i).length == 1 && fields.get(i)[0] == '-') {
                    separator = i;
                }
            }
            if (separator > 0 && fields.size() > separator + 2) {
                int id = Integer.parseInt(new String(fields.get(0), StandardCharsets.US_ASCII));
                mounts.put(id, new Mount(id, PathBytes.toPath(fields.get(4)), text(fields.get(3)),
                        text(fields.get(separator + 1)), text(fields.get(separator + 2))));
            }
            start = end + 1;
        }
        return mounts;
    }

    /** The space-separated fields of one line, octal escapes undone. */
    private static List<byte[]> fields(byte[] text, int start, int end) {
        List<byte[]> fields = new ArrayList<>();
        byte[] field = new byte[end - start];
        int length = 0;
        for (int i = start; i <= end; i++) {
            if (i == end || text[i] == ' ') {
                fields.add(Arrays.copyOf(field, length));
                length = 0;
            } else if (text[i] == '\\' && i + 3 < end) {
                field[length++] = (byte) Integer.parseInt(new String(text, i + 1, 3, StandardCharsets.US_ASCII), 8);
                i += 3;
            } else {
                field[length++] = text[i];
            }
        }
        return fields;
    }

    private static String text(byte[] field) {
        return new String(field, StandardCharsets.UTF_8);
    }

    void stop() {
        wakeup.wake();
    }

    @Override
    public void close() {
        Libc.close(fd);
        wakeup.close();
    }
}
