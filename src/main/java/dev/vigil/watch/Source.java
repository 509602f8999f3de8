package dev.vigil.watch;

import java.nio.file.Path;
import java.util.List;

/** A kernel event reader: run() reads until stop() is called. */
interface Source extends AutoCloseable {

    void run();

    void stop();

    /** One line saying which mode is active and what it can and cannot tell. */
    String notice();

    /** Parts of the areas not covered by kernel watches (to be scanned by the caller instead). */
    List<Path> uncovered();

    /** How many there are, without copying them: the caller asks often, to notice when more are left out. */
    default int uncoveredCount() {
        return uncovered().size();
    }

    @Override
    void close();
}
