package dev.vigil.watch;

import dev.vigil.os.PathBytes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches areas of the filesystem in real time and delivers {@link FileEvent}s: fanotify with process
 * attribution when the kernel allows it, else recursive inotify without attribution (the active mode is
 * told in one line by {@link #notice()}). A reader thread turns kernel events into FileEvents and offers them
 * to a bounded queue; it never waits: behind a slow consumer, events of one path by one process are coalesced in a
 * bounded spill, and what does not fit costs an OVERFLOW event for its directory instead of stalling the kernel.
 * A second thread ({@link MountWatch}) adds MOUNT and UNMOUNT events for mounts over the areas, which neither
 * kernel interface tells.
 * Consume either by {@link #events()} (pull) or by {@link #start(Consumer)} (a dispatcher thread calls the
 * listener).
 */
public final class NativeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NativeWatcher.class);

    /** The kernel interface in use. */
    public enum Active { FANOTIFY, INOTIFY }

    private final WatchOptions options;
    private final EventSink sink;
    private ProcessTable processes;
    private volatile Source source;
    private Active active;
    private Thread reader;
    private MountWatch mounts;
    private Thread mountReader;
    private Thread dispatcher;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    public NativeWatcher(WatchOptions options) {
        this.options = options;
        this.sink = new EventSink(options.queueCapacity());
    }

    /**
     * Opens the kernel interface, places the watches and starts reading; events are in {@link #events()} from
     * the moment this returns.
     *
     * @throws WatchException when no mode can be used (or FANOTIFY was demanded and refused)
     */
    public synchronized void start() throws WatchException {
        if (source != null) {
            throw new IllegalStateException("already started");
        }
        open();
        startMountWatch();
    }

    /**
     * Opens the kernel interface again after the reader failed ({@link #failure}): a new reader feeds the same
     * queue, and an OVERFLOW event after it says that events were lost in between, so they are made up for by a
     * check. Does nothing while the reader runs or once stopped.
     *
     * @throws WatchException when no mode can be used now; the watcher stays failed and can be restarted again
     */
    public synchronized void restart() throws WatchException {
        if (stopping || failure == null) {
            return;
        }
        join(reader);
        if (source != null) { // null after a restart that could not open the kernel interface
            source.close();
            source = null;
        }
        if (processes != null) {
            processes.close();
            processes = null;
        }
        String failed = failure.toString();
        open();
        failure = null;
        sink.emit(FileEvent.overflow(null, java.time.Instant.now(), "file watch restarted after it failed: " + failed));
    }

    /** What ended the reader, or null while it runs (or was stopped). */
    public RuntimeException failure() {
        return failure;
    }

    private void open() throws WatchException {
        String reason = "forced by option";
        if (options.mode() != WatchOptions.Mode.INOTIFY) {
            ProcessTable table = ProcessTable.start(options.attribution());
            try {
                source = new FanotifySource(options, table, sink);
                processes = table;
                active = Active.FANOTIFY;
            } catch (WatchException e) {
                table.close();
                if (options.mode() == WatchOptions.Mode.FANOTIFY) {
                    throw e;
                }
                reason = "fanotify unavailable: " + e.getMessage();
            }
        }
        if (source == null) {
            source = new InotifySource(options, sink, reason);
            active = Active.INOTIFY;
        }
        LOG.info(source.notice());
        Source running = source;
        reader = new Thread(() -> {
            try {
                running.run();
            } catch (RuntimeException e) {
                // a dead reader must not look like a quiet filesystem: the owner restarts it (see restart())
                LOG.error("file watch reader failed, no more events until it is restarted: {}", e.toString(), e);
                sink.emit(FileEvent.overflow(null, java.time.Instant.now(), "file watch stopped: " + e));
                failure = e;
            }
        }, "vigil-watch-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Mounts over the areas hide them from either source: told as MOUNT events, or said once when they cannot be. */
    private void startMountWatch() {
        try {
            mounts = new MountWatch(options.areas(), sink);
        } catch (WatchException e) {
            LOG.warn("mounts over the watched areas will not be noticed by the watch: {}", e.getMessage());
            return;
        }
        MountWatch running = mounts;
        mountReader = new Thread(() -> {
            try {
                running.run();
            } catch (RuntimeException e) {
                LOG.error("mount watch failed, mounts over the areas are no longer noticed: {}", e.toString(), e);
            }
        }, "vigil-watch-mounts");
        mountReader.setDaemon(true);
        mountReader.start();
    }

    /** Starts watching and calls {@code listener} for every event on a dispatcher thread of its own. */
    public synchronized void start(Consumer<FileEvent> listener) throws WatchException {
        start();
        dispatcher = new Thread(() -> dispatch(listener), "vigil-watch-dispatch");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    private void dispatch(Consumer<FileEvent> listener) {
        BlockingQueue<FileEvent> queue = sink.queue();
        while (!stopping) {
            FileEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("file event listener failed on {}: {}", PathBytes.escape(PathBytes.of(event.path())), e.toString());
            }
        }
    }

    /** The bounded queue the reader fills (do not use together with a listener). */
    public BlockingQueue<FileEvent> events() {
        return sink.queue();
    }

    /** Events a full queue dropped since the start; each loss is also told by OVERFLOW events in the queue. */
    public long dropped() {
        return sink.droppedTotal();
    }

    /** Events coalesced into an earlier one of the same path and process while the queue was full, since the start. */
    public long coalesced() {
        return sink.coalescedTotal();
    }

    /**
     * Whether the consumer has not caught up: the queue is more than half full, events wait behind it, or losses are
     * still to be told.
     */
    public boolean behind() {
        return sink.owesCount() || sink.queue().size() > options.queueCapacity() / 2;
    }

    /** Which kernel interface is in use, null before start. */
    public Active active() {
        return active;
    }

    /** One line naming the active mode and what it cannot do. */
    public String notice() {
        return source == null ? "file watch: not started" : source.notice();
    }

    /** Directories the kernel could not watch (inotify watch limit); the caller should scan them instead. */
    public List<Path> uncovered() {
        return source == null ? List.of() : source.uncovered();
    }

    /** {@code uncovered().size()}, cheaply: it grows when directories appear after the watch limit was reached. */
    public int uncoveredCount() {
        return source == null ? 0 : source.uncoveredCount();
    }

    /** Events waiting in the queue for the consumer. */
    public int queueDepth() {
        return sink.queue().size();
    }

    /** OVERFLOW events queued since start: the kernel's queue overflowing, events dropped, a reader restarted. */
    public long overflows() {
        return sink.overflows();
    }

    public WatchOptions options() {
        return options;
    }

    /** Stops reading and releases the kernel resources; events already queued stay in {@link #events()}. */
    public synchronized void stop() {
        if (reader == null || stopping) {
            return;
        }
        stopping = true;
        if (source != null) {
            source.stop();
        }
        join(reader);
        if (mounts != null) {
            mounts.stop();
            join(mountReader);
            mounts.close();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
            join(dispatcher);
        }
        if (source != null) {
            source.close();
        }
        if (processes != null) {
            processes.close();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
