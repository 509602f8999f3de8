package dev.vigil.fim;

import com.sun.jna.Memory;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * A directory's {@link Excludes#IGNORE_FILE} as every walk and the live watch read it, and whether Vigil trusts it.
 *
 * <p>Whoever can write an ignore file decides what Vigil does not look at, so one counts only if root (or the user
 * Vigil runs as) could have written it and no one else can change it: sshd's StrictModes reasoning. The file must
 * be a regular file owned by root or Vigil's user and writable by neither group nor others, and so must its
 * directory be: whoever else can add or rename entries there can put a file of root's in as the ignore file (a
 * world-writable directory is refused even with the sticky bit, as sshd refuses it). It must also be at most
 * {@link #MAX_SIZE} bytes. Any other ignore file is not applied, and says why in {@link #refusal}.
 *
 * <p>It is read as an {@link OpenedFile} (no symlink followed, never blocking on a FIFO swapped in), judged on
 * what was opened, and read only up to its limit, so neither a huge sparse file nor a FIFO can stall a walk.
 */
record IgnoreFile(List<String> lines, String refusal) {

    /** The largest ignore file applied, in bytes. */
    static final int MAX_SIZE = 64 * 1024;

    private static final String NOT_REGULAR = "not a regular file";
    private static final int OWN_UID = Libc.geteuid();
    /** Write permission for group or others. */
    private static final int GROUP_OR_OTHERS_WRITE = 0022;

    /**
     * Reads the ignore file of the directory at the absolute raw path {@code dir}: its lines if it is trusted, the
     * reason it is not otherwise, or null if there is none.
     *
     * @throws IOException if it exists but cannot be read
     */
    static IgnoreFile read(byte[] dir) throws IOException {
        byte[] file = PathBytes.child(dir, Excludes.IGNORE_FILE_NAME);
        OpenedFile f;
        try {
            // A symlink, FIFO or device is judged by its stat and never opened.
            if (!regular(file)) {
                return refused(NOT_REGULAR);
            }
            f = OpenedFile.open(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // swapped for a symlink since the stat (ELOOP), or another failure to say as it is
            if (!regular(file)) {
                return refused(NOT_REGULAR);
            }
            throw e;
        }
        try (f) {
            Statx st = f.stat();
            String distrust = EntryType.fromMode(st.mode()) != EntryType.FILE ? NOT_REGULAR : distrust(st, "");
            if (distrust == null) {
                distrust = directoryDistrust(dir);
            }
            if (distrust != null) {
                return refused(distrust);
            }
            List<String> lines = st.size() > MAX_SIZE ? null : lines(f);
            return lines != null ? new IgnoreFile(lines, null) : refused("larger than " + MAX_SIZE / 1024 + " KiB");
        }
    }

    /** Whether the entry at {@code path} is a regular file, by its own stat (a symlink is not followed). */
    private static boolean regular(byte[] path) throws IOException {
        return EntryType.fromMode(lstat(path).mode()) == EntryType.FILE;
    }

    private static Statx lstat(byte[] path) throws IOException {
        try {
            return Statx.of(path);
        } catch (com.sun.jna.LastErrorException e) {
            throw Libc.failure(path, e.getErrorCode());
        }
    }

    private static IgnoreFile refused(String why) {
        return new IgnoreFile(List.of(), why);
    }

    /** Why an entry owned and moded so is not trusted, {@code what} naming it; null if it is. */
    private static String distrust(Statx st, String what) {
        if (st.uid() != 0 && st.uid() != OWN_UID) {
            return what + "owned by uid " + st.uid() + ", not root" + (OWN_UID != 0 ? " or uid " + OWN_UID : "");
        }
        if ((st.mode() & GROUP_OR_OTHERS_WRITE) != 0) {
            return what + "writable by " + ((st.mode() & 0002) != 0 ? "others" : "its group")
                    + String.format(" (mode %04o)", st.mode() & 07777);
        }
        return null;
    }

    private static String directoryDistrust(byte[] dir) throws IOException {
        Statx st = lstat(dir);
        return EntryType.fromMode(st.mode()) != EntryType.DIRECTORY ? "its directory is not a directory"
                : distrust(st, "its directory is ");
    }

    /** The file's lines as UTF-8, or null if it is larger than the limit (it grew since its stat). */
    private static List<String> lines(OpenedFile f) throws IOException {
        Memory buffer = new Memory(MAX_SIZE + 1);
        long length = 0;
        for (long n; length <= MAX_SIZE && (n = f.read(buffer.share(length), MAX_SIZE + 1 - length)) > 0; ) {
            length += n;
        }
        if (length > MAX_SIZE) {
            return null;
        }
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer.getByteArray(0, (int) length))).toString();
        return text.lines().toList();
    }
}
