package dev.vigil.cli;

import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Scanner;
import dev.vigil.os.PathBytes;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Prints each scan problem on stderr as it happens, one line naming the path, and counts them. */
final class Problems implements Scanner.Sink {

    private final PrintStream err;
    private final AtomicLong count = new AtomicLong();

    Problems(PrintStream err) {
        this.err = err;
    }

    @Override
    public void entry(FileRecord record) {
        throw new UnsupportedOperationException("problems only");
    }

    @Override
    public void problem(byte[] path, String message) {
        count.incrementAndGet();
        synchronized (err) {
            err.println("vigil: " + PathBytes.escape(path) + ": " + message);
        }
    }

    long count() {
        return count.get();
    }

    /** After the scan: one line with the count, when there was any problem. */
    void summarise() {
        if (count.get() > 0) {
            long n = count.get();
            err.printf("vigil: %d %s could not be read completely%n", n, n == 1 ? "entry" : "entries");
        }
    }
}
