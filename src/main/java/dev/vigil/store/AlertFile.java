package dev.vigil.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The NDJSON alert file ({@code vigil.alerts.file}): one report a line, each appended by one write to a file
 * opened {@code O_APPEND}, made 0600 (in a directory made 0700) and never written through a symbolic link
 * (see {@link PrivateFiles}). Camel's file producer was not used: it follows a link planted at the path.
 */
public final class AlertFile {

    private final Path file;

    public AlertFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** Appends {@code line} and a newline. */
    public void append(String line) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(line + "\n");
        try (FileChannel ch = PrivateFiles.openAppend(file)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }
    }
}
