package dev.vigil.fim;

import dev.vigil.os.PathBytes;

/** A scan sink for tests of trees with nothing unreadable in them: it ignores entries and fails the test on any problem. */
public final class NoProblemsSink implements Scanner.Sink {

    public static final Scanner.Sink INSTANCE = new NoProblemsSink();

    private NoProblemsSink() {
    }

    @Override
    public void entry(FileRecord record) {
    }

    @Override
    public void problem(byte[] path, String message) {
        throw new AssertionError(PathBytes.escape(path) + ": " + message);
    }
}
