package dev.vigil.store;

import dev.vigil.alert.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The daemon's {@link DaemonStatus} on disk, beside its database ({@code DATABASE.status.json}, mode 0600,
 * replaced whole, never through a link), so {@code vigil status} works without the HTTP server. Whether the
 * daemon that wrote it still runs is the {@link DaemonLock}'s to say, not the file's.
 */
public final class StatusFile {

    /** Appended to the database's file name. */
    static final String SUFFIX = ".status.json";
    /** Appended to the status file's name for the copy written before it is renamed into place. */
    static final String TEMPORARY = ".tmp";

    private final Path file;

    private StatusFile(Path file) {
        this.file = file;
    }

    /** The status file of the daemon on {@code database}. */
    public static StatusFile of(Path database) {
        Path absolute = database.toAbsolutePath();
        return new StatusFile(absolute.resolveSibling(absolute.getFileName() + SUFFIX));
    }

    public Path file() {
        return file;
    }

    public void write(DaemonStatus status) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        PrivateFiles.replace(file, TEMPORARY, (Json.write(status) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The last status written, or empty if there is none. */
    public Optional<DaemonStatus> read() throws IOException {
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(file), DaemonStatus.class));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }
}
