package dev.vigil.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The files Vigil writes (the database, the alert file) and the directories it makes for them: mode 0600 and
 * 0700, and never through a symbolic link. Vigil runs as root, and a link planted where it writes (by whoever
 * can write that directory) would otherwise make it append to, or let SQLite rewrite, any file of the system.
 */
public final class PrivateFiles {

    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private PrivateFiles() {
    }

    /** Makes the directory and its missing parents, each one made 0700; existing ones are left as they are. */
    public static void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir, DIRECTORY_MODE);
    }

    /**
     * Opens {@code file} for appending, made 0600 if absent; the JDK opens with {@code O_NOFOLLOW} for
     * {@link LinkOption#NOFOLLOW_LINKS}, so a symbolic link in its place is refused by the kernel, not by a check
     * that could race with the link's creation.
     */
    public static FileChannel openAppend(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens {@code file} for reading and writing, made 0600 if absent; a symbolic link in its place is refused. */
    public static FileChannel openReadWrite(Path file) throws IOException {
        return open(file, StandardOpenOption.CREATE, StandardOpenOption.READ);
    }

    /** Creates {@code file} (0600) unless it exists; a symbolic link in its place is refused. */
    public static void createIfAbsent(Path file) throws IOException {
        try {
            open(file, StandardOpenOption.CREATE_NEW).close();
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            refuseSymlink(file);
        }
    }

    /**
     * Replaces {@code file} with {@code content} at once (written to {@code file + suffix}, then renamed over it),
     * so a reader sees the old content or the new, never a part; a link in the place of either is not followed.
     */
    public static void replace(Path file, String temporarySuffix, byte[] content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + temporarySuffix);
        try (FileChannel out = open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Throws, naming the link and where it points, if {@code file} is a symbolic link. */
    public static void refuseSymlink(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw symlink(file);
        }
    }

    private static FileChannel open(Path file, OpenOption... how) throws IOException {
        Set<OpenOption> options = new java.util.HashSet<>(Set.of(how));
        options.add(StandardOpenOption.WRITE);
        options.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, options, FILE_MODE);
        } catch (IOException e) {
            // O_NOFOLLOW fails with ELOOP, which the JDK words as "Too many levels of symbolic links"
            refuseSymlink(file);
            throw e;
        }
    }

    private static IOException symlink(Path file) {
        String target;
        try {
            target = " (to " + Files.readSymbolicLink(file) + ")";
        } catch (IOException e) {
            target = "";
        }
        return new FileSystemException(file.toString(), null, "is a symbolic link" + target
                + ", which Vigil does not write through: remove it, and find out who put it there");
    }
}
