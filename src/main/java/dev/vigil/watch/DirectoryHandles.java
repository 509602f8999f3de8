package dev.vigil.watch;

import dev.vigil.os.Proc;
import dev.vigil.os.PathBytes;
import dev.vigil.os.ByteKey;
import dev.vigil.os.Libc;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directory-handle cache of the fanotify source: which path a directory handle in an event names. Handles
 * of the directories inside the areas ("ours") are learned up front by walking the tree ({@link #learn}) and
 * kept current from the events: a tree deleted by {@code rm -rf} is already gone when its events are read, and
 * open_by_handle_at could no longer name it. Other directories are resolved with open_by_handle_at (through a
 * descriptor on each filesystem) and remembered in a bounded cache as "not ours"; the directories programs are
 * executed from, in one of their own.
 */
final class DirectoryHandles implements AutoCloseable {

    private static final int MAX_HANDLE_SZ = 128;
    private static final int FOREIGN_CACHE_SIZE = 16_384;

    /** What a walk does where {@link #learn} cannot simply learn a directory. */
    interface Walk {
        /** {@code dir} has no file handle (its filesystem has none); how the walk goes on. */
        FileVisitResult noHandle(Path dir, LastErrorException e);

        /**
         * {@code dir} is the first directory met on a mount not seen before: the id of its filesystem once it is
         * watched, or null to leave its subtree out.
         */
        Long newMount(Path dir, byte[] path);
    }

    private final WatchOptions options;
    /** Called when a handle no longer opens: its directory was removed before its first event was read. */
    private final Runnable vanished;
    private final Memory handle = new Memory(MAX_HANDLE_SZ + 8);
    private final Map<Long, Integer> mountFds = new HashMap<>();
    private final Map<Integer, Long> fsidByMount = new HashMap<>();
    private final Map<ByteKey, Path> ours = new HashMap<>();
    /** Ours whose handles no longer opened at the last {@link #relearn}: forgotten if the next one finds them so. */
    private Set<ByteKey> goneAtLastLoss = Set.of();
    private final Map<ByteKey, Boolean> foreign = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Boolean> eldest) {
            return size() > FOREIGN_CACHE_SIZE;
        }
    };
    private final Map<ByteKey, Path> programDirs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Path> eldest) {
            return size() > 1024;
        }
    };

    DirectoryHandles(WatchOptions options, Runnable vanished) {
        this.options = options;
        this.vanished = vanished;
    }

    /**
     * Learns the handle of every relevant directory under {@code root} (the root itself always), asking
     * {@code walk} at each mount not seen before; false when part of the tree could not be read or had no
     * handle (it was gone or changing under the walk).
     */
    boolean learn(Path root, Walk walk) throws IOException {
        boolean[] complete = {Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && !options.relevantDirectory(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                byte[] path = PathBytes.cString(dir);
                int[] mountId = new int[1];
                handle.setInt(0, MAX_HANDLE_SZ);
                try {
                    Libc.name_to_handle_at(Libc.AT_FDCWD, path, handle, mountId, 0);
                } catch (LastErrorException e) {
                    complete[0] = false;
                    return walk.noHandle(dir, e);
                }
                Long fsid = fsidByMount.get(mountId[0]);
                if (fsid == null) {
                    fsid = walk.newMount(dir, path);
                    if (fsid == null) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    fsidByMount.put(mountId[0], fsid);
                }
                ours.put(key(fsid, handle.getByteArray(0, 8 + handle.getInt(0))), dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                complete[0] = false;
                return FileVisitResult.CONTINUE;
            }
        });
        return complete[0];
    }

    /**
     * Opens (once per filesystem) the descriptor open_by_handle_at needs for the filesystem holding {@code dir},
     * and returns the filesystem's id.
     */
    long openFilesystem(Path dir, byte[] path) throws WatchException {
        int mountFd;
        try {
            mountFd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new WatchException("cannot open " + dir + ": " + e.getMessage(), e);
        }
        long fsid;
        try (Memory statfs = new Memory(120)) {
            Libc.fstatfs(mountFd, statfs);
            fsid = statfs.getLong(56);
        }
        Integer previous = mountFds.putIfAbsent(fsid, mountFd);
        if (previous != null) {
            Libc.close(mountFd);
        }
        return fsid;
    }

    /** Whether any filesystem was opened (so any area could be watched). */
    boolean any() {
        return !mountFds.isEmpty();
    }

    /** Our directory of this handle (as learned), or null. */
    Path ours(ByteKey key) {
        return key == null ? null : ours.get(key);
    }

    /** {@code dir}, now at {@code key}, is ours (created or moved in). */
    void ours(ByteKey key, Path dir) {
        ours.put(key, dir);
        foreign.remove(key);
    }

    /** The directory of {@code key} is no longer ours (removed or moved out). */
    void forget(ByteKey key) {
        ours.remove(key);
    }

    /**
     * Events were lost unread: renames among them left ours named where they had been, and a directory moved in from
     * one remembered as foreign taken for foreign. Each of ours is asked where it is now (an open_by_handle_at per
     * directory, not a walk of every entry): named anew there if that is ours or one of {@code roots}, else left as it
     * was (moved out, or the same directory under another name: a symlinked parent, a bind mount); one that no longer
     * opens (removed: its events may still be queued, and only this names them) is kept until the next loss finds it
     * gone again. What was known of foreign and program directories is forgotten, so a directory made or moved in
     * during the loss is learned at its first event, as a new one is.
     */
    void relearn(List<Path> roots) {
        foreign.clear();
        programDirs.clear();
        Set<ByteKey> goneNow = new HashSet<>();
        for (Iterator<Map.Entry<ByteKey, Path>> it = ours.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteKey, Path> entry = it.next();
            Path now = open(entry.getKey());
            if (now == null) {
                if (goneAtLastLoss.contains(entry.getKey())) {
                    it.remove();
                } else {
                    goneNow.add(entry.getKey());
                }
            } else if (options.relevantDirectory(now) || roots.contains(now)) {
                entry.setValue(now);
            }
            // else left as it was: the kernel's name may be another for the same directory (an area under a
            // symlinked parent, a bind mount), and forgetting it would drop its events as foreign
        }
        goneAtLastLoss = goneNow;
    }

    /** A directory moved between ours and foreign: what was known of foreign ones may be wrong for its subtree. */
    void forgetForeign() {
        foreign.clear();
    }

    /** Our directories at or below {@code from} are now below {@code to} (those no longer relevant are forgotten). */
    void moved(Path from, Path to) {
        List<Map.Entry<ByteKey, Path>> moved = new ArrayList<>();
        for (Map.Entry<ByteKey, Path> e : ours.entrySet()) {
            if (e.getValue().startsWith(from)) {
                moved.add(e);
            }
        }
        for (Map.Entry<ByteKey, Path> e : moved) {
            Path now = to.resolve(from.relativize(e.getValue()));
            if (options.relevantDirectory(now)) {
                ours.put(e.getKey(), now);
            } else {
                ours.remove(e.getKey());
            }
        }
    }

    /**
     * Our directory named by {@code name}; null when it is not ours or can no longer be opened (a directory
     * deleted before its first event was read: ours are all learned in advance, so such a one is foreign).
     */
    Path directory(FanotifyRecords.DirName name) {
        ByteKey key = name.dir();
        Path known = ours.get(key);
        if (known != null) {
            return known;
        }
        if (foreign.containsKey(key)) {
            return null;
        }
        Path dir = open(name);
        if (dir == null) {
            vanished.run();
            // a handle that no longer opens never will (handles carry the inode generation)
            foreign.put(key, Boolean.TRUE);
            return null;
        }
        if (options.relevantDirectory(dir)) {
            ours.put(key, dir);
            return dir;
        }
        foreign.put(key, Boolean.TRUE);
        return null;
    }

    /** The directory named by {@code name}, ours or that of a program executed elsewhere; null if gone. */
    Path anyDirectory(FanotifyRecords.DirName name) {
        Path dir = ours.get(name.dir());
        if (dir == null) {
            dir = programDirs.get(name.dir());
        }
        if (dir == null) {
            dir = open(name);
            if (dir != null) {
                programDirs.put(name.dir(), dir);
            }
        }
        return dir;
    }

    /** The path of a directory handle through open_by_handle_at, null when it no longer exists. */
    private Path open(FanotifyRecords.DirName name) {
        return open(name.fsid(), name.batch(), name.handleOffset(), name.handleLength());
    }

    /** {@link #open(FanotifyRecords.DirName)} of a handle as {@link #key} makes it. */
    private Path open(ByteKey key) {
        byte[] bytes = key.bytes();
        return open(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(), bytes, 8, bytes.length - 8);
    }

    /** The path of the handle (a struct file_handle) at {@code offset} in {@code source}, on filesystem {@code fsid}. */
    private Path open(long fsid, byte[] source, int offset, int length) {
        Integer mountFd = mountFds.get(fsid);
        if (mountFd == null) {
            return null;
        }
        handle.write(0, source, offset, length);
        int dirFd;
        try {
            dirFd = Libc.open_by_handle_at(mountFd, handle, Libc.O_PATH | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            return null;
        }
        try {
            return Proc.fdPath(dirFd);
        } catch (IOException e) {
            return null;
        } finally {
            Libc.close(dirFd);
        }
    }

    private static ByteKey key(long fsid, byte[] fileHandle) {
        byte[] bytes = new byte[8 + fileHandle.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(fsid).put(fileHandle);
        return ByteKey.of(bytes);
    }

    @Override
    public void close() {
        for (int mountFd : mountFds.values()) {
            Libc.close(mountFd);
        }
        mountFds.clear();
    }
}
