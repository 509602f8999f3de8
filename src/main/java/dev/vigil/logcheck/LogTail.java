package dev.vigil.logcheck;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Follows one log file and hands out its complete new lines, none lost and none twice.
 *
 * <p>The offset is the file's inode and a byte position, saved through an {@link OffsetStore} after every
 * poll. Rotation by rename is seen as a new inode at the path: the old file, still open, is read to its end
 * first (a last line without newline included, its writer has moved on), then the new file from its start.
 * copytruncate is seen as the same inode shorter than the offset: reading starts again at 0. A missing file
 * yields nothing until it appears. After a restart, a file rotated meanwhile is looked for as
 * {@code NAME.1} with the saved inode, and its rest is read before the new file.
 *
 * <p>Hand-written rather than Camel's file tailing (Camel has no rotation-aware tail) and kept free of
 * Camel; lines are read byte for char (ISO-8859-1) like {@link LogLines}. Not thread-safe.
 */
public final class LogTail implements Closeable {

    /** Where reading stopped: the inode of the file and the position after the last complete line. */
    public record Offset(long inode, long position) {}

    /** Keeps offsets across restarts. */
    public interface OffsetStore {
        Optional<Offset> load(Path file);

        void save(Path file, Offset offset);
    }

    /** What one poll found: the new lines in order, and whether the file was rotated since the last poll. */
    public record Chunk(List<String> lines, boolean rotated) {}

    private static final int BLOCK = 1 << 16;

    private final Path file;
    private final OffsetStore store;
    private FileChannel channel;
    private long inode = -1;
    private long position;

    public LogTail(Path file, OffsetStore store) {
        this.file = file;
        this.store = store;
        store.load(file).ifPresent(o -> {
            inode = o.inode();
            position = o.position();
        });
    }

    /** Reads what was appended since the last poll, following a rotation if there was one. */
    public Chunk poll() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean rotated = false;
        if (channel == null) {
            rotated = openAfterRestartOrAbsence(lines);
        }
        if (channel != null) {
            read(lines, false);
            Long now = inodeOf(file);
            if (now != null && now != inode) {
                read(lines, true);
                channel.close();
                channel = null;
                rotated = true;
                if (open(file)) {
                    position = 0;
                    read(lines, false);
                }
            } else if (now != null && channel.size() < position) {
                rotated = true;
                position = 0;
                read(lines, false);
            }
            store.save(file, new Offset(inode, position));
        }
        return new Chunk(lines, rotated);
    }

    /**
     * Opens the file for the first poll, or again after it was missing. A saved offset for another inode
     * means the file was rotated while we were not reading: its rest is read from {@code NAME.1} if there.
     */
    private boolean openAfterRestartOrAbsence(List<String> lines) throws IOException {
        Long now = inodeOf(file);
        if (now == null) {
            return false;
        }
        boolean rotated = false;
        if (inode >= 0 && now != inode) {
            Path rotatedFile = file.resolveSibling(file.getFileName() + ".1");
            Long old = inodeOf(rotatedFile);
            if (old != null && old == inode && open(rotatedFile)) {
                read(lines, true);
                channel.close();
                channel = null;
            }
            rotated = true;
            position = 0;
        }
        if (!open(file)) {
            return rotated;
        }
        if (channel.size() < position) {
            rotated = true;
            position = 0;
        }
        return rotated;
    }

    private boolean open(Path path) throws IOException {
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            Long ino = inodeOf(path);
            if (ino == null) {
                channel.close();
                channel = null;
                return false;
            }
            inode = ino;
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Reads complete lines from {@code position} to the end of the open file; with {@code finish} a last line
     * without newline is taken too.
     */
    private void read(List<String> lines, boolean finish) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        StringBuilder partial = new StringBuilder();
        long at = position;
        while (true) {
            buf.clear();
            int n = channel.read(buf, at);
            if (n <= 0) {
                break;
            }
            at += n;
            String text = new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1);
            int start = 0;
            int nl;
            while ((nl = text.indexOf('\n', start)) >= 0) {
                partial.append(text, start, nl);
                lines.add(partial.toString());
                partial.setLength(0);
                start = nl + 1;
            }
            partial.append(text, start, text.length());
        }
        position = at - partial.length();
        if (finish && partial.length() > 0) {
            lines.add(partial.toString());
            position = at;
        }
    }

    private static Long inodeOf(Path path) throws IOException {
        try {
            return (Long) Files.getAttribute(path, "unix:ino");
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
