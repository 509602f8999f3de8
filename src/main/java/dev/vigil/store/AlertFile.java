package dev.vigil.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The NDJSON alert file ({@code vigil.alerts.file}): each report's lines appended by one write to a file opened
 * {@code O_APPEND}, made 0600 (in a directory made 0700) and never written through a symbolic link (see
 * {@link PrivateFiles}). Camel's file producer was not used: it follows a link planted at the path.
 *
 * <p>When a report would take the file past {@code maxSize}, the file is rotated first, as logrotate's
 * {@code rotate N} names them: {@code FILE.keep-1} becomes {@code FILE.keep} (the oldest is dropped), ...,
 * {@code FILE} becomes {@code FILE.1}, each by one {@code rename}, which is atomic and moves a link itself rather
 * than what it points to; then the report starts a new {@code FILE}. A crash between two renames leaves a gap in
 * the numbers, never a lost line, and a report is never split across two files. A single report larger than
 * {@code maxSize} is written whole into a file of its own.
 */
public final class AlertFile {

    private final Path file;
    private final long maxSize;
    private final int keep;

    /**
     * @param maxSize the size past which the file is rotated; 0 never rotates it
     * @param keep    how many rotated files are kept, at least 1
     */
    public AlertFile(Path file, long maxSize, int keep) {
        if (maxSize < 0 || keep < 1) {
            throw new IllegalArgumentException("an alert file needs maxSize >= 0 and keep >= 1, not " + maxSize + " and " + keep);
        }
        this.file = file.toAbsolutePath();
        this.maxSize = maxSize;
        this.keep = keep;
    }

    public Path file() {
        return file;
    }

    /** The rotated files of the alert file {@code file}, {@code FILE.1} to {@code FILE.keep}, whether they exist or not. */
    public static List<Path> rotatedFiles(Path file, int keep) {
        List<Path> out = new ArrayList<>(keep);
        for (int i = 1; i <= keep; i++) {
            out.add(rotated(file, i));
        }
        return out;
    }

    /** Appends {@code lines}, each with a newline, in one write; rotates the file first if they would not fit. */
    public synchronized void append(List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        long size = size();
        if (maxSize > 0 && size > 0 && size + bytes.remaining() > maxSize) {
            rotate();
        }
        try (FileChannel ch = openAppend()) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }
    }

    /**
     * The file opened for appending; its directory is made only when the open finds it missing, not before every
     * append: the JDK's createDirectories tries mkdir first and builds an exception for the directory that exists,
     * a fifth of a collector's alert-file CPU at a report per finding (bench/README.md, "Fleet").
     */
    private FileChannel openAppend() throws IOException {
        try {
            return PrivateFiles.openAppend(file);
        } catch (NoSuchFileException noDirectory) {
            PrivateFiles.createDirectories(file.getParent());
            return PrivateFiles.openAppend(file);
        }
    }

    /** The file's size, 0 when it does not exist; a link in its place is measured itself, and refused on opening. */
    private long size() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private void rotate() throws IOException {
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(file, i);
            if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(from, rotated(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }
}
