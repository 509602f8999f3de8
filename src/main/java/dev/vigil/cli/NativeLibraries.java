package dev.vigil.cli;

import dev.vigil.os.Libc;
import org.sqlite.SQLiteJDBCLoader;

import java.lang.invoke.MethodHandles;

/**
 * Loads the native libraries the commands use, libc bound through JNA ({@link Libc}) and SQLite's, on a thread of
 * its own begun before the command line is built, so that the main thread does not wait for them: loaded by the
 * first command code to need them, they were about a sixth of a second of a quick check's serial start-up, most of
 * it JNA's, whose logger starts {@code java.util.logging}, whose look for a logging backend (a
 * {@code ServiceLoader}) opens every jar of the class path (bench/README.md, the quick check's start-up). Code that
 * needs a library before it is loaded waits for it, as for any class being initialised.
 */
final class NativeLibraries {

    private NativeLibraries() {
    }

    static void loadAhead() {
        Thread loader = new Thread(NativeLibraries::load, "vigil-native");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * A failure is left to the command that needs the library: SQLite's loader tries again at the first connection
     * and reports its failure; JNA's is the cause of the {@link NoClassDefFoundError} any later use of {@link Libc}
     * gets, which the JVM says with it ("Exception ... [in thread "vigil-native"]", ErrorExitTest).
     */
    private static void load() {
        try {
            MethodHandles.lookup().ensureInitialized(Libc.class);
        } catch (Throwable e) {
            // see above
        }
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // see above
        }
    }
}
