package dev.vigil.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where the raw events the watcher saw are kept, as {@link FileEventVerifier} and {@link Attribution} need it:
 * the watch package states what it needs and the store ({@code store.FileEventHistory}) provides it, so the
 * watch does not depend on how events are stored.
 */
public interface EventHistory {

    /** Keeps {@code events}, all of them or none. */
    void append(List<FileEvent> events);

    /**
     * The latest {@code limit} events of {@code path} (as the path, or the old path of a rename) from
     * {@code since} (null: all kept), oldest first.
     */
    List<FileEvent> eventsOf(Path path, Instant since, int limit);
}
