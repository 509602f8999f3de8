package dev.vigil.camel.fswatch;

import dev.vigil.camel.Beans;
import dev.vigil.camel.FileAreas;
import dev.vigil.camel.Headers;

import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.TrickleOptions;
import dev.vigil.watch.EventType;
import dev.vigil.watch.WatchOptions;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Watches file trees in real time (fanotify, else inotify) and sends each new deviation from the baseline as a
 * finding of source files, carrying the process and user that made it.
 *
 * <p>Every raw event is also kept in the event history ({@code vigil events --process}). A path is verified once
 * it has been quiet for {@code debounce}, and at the latest {@code debounceMax} after its first event, so a
 * burst of writes is one check. Directories no kernel watch covers (inotify's watch limit reached, a mount
 * fanotify cannot mark) are checked by a trickle at {@code byteRate} and {@code fileRate}. On start the areas
 * get a quick check, so what changed while nothing watched is reported (not attributed).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fswatch", title = "Real-time file watch", syntax = "fswatch:name",
        consumerOnly = true, category = {Category.FILE, Category.MONITORING}, headersClass = Headers.class)
public final class FswatchEndpoint extends DefaultEndpoint {

    @UriPath(description = "A label for this watch, used in logs")
    @Metadata(required = true)
    private String name;

    @UriParam
    private FileAreas configuration;

    @UriParam(defaultValue = "auto", enums = "auto,fanotify,inotify",
            description = "auto: fanotify, else inotify; fanotify: fail when refused; inotify: forced, without attribution")
    private String mode = "auto";

    @UriParam(label = "advanced", defaultValue = "filesystem", enums = "filesystem,mount", description = "What a fanotify mark covers")
    private String markScope = "filesystem";

    @UriParam(description = "Optional event kinds beyond the default set, comma-separated: MODIFY, OPEN_EXEC, ACCESS"
            + " (stored and, for MODIFY, verified; each costs many events)")
    private String events = "";

    @UriParam(label = "advanced", defaultValue = "131072",
            description = "Events queued between the kernel reader and the worker; beyond it those of one path by one process are coalesced (in room for half as many, a 64th per directory), the rest dropped, and an OVERFLOW makes the worker check their directory")
    private int queueSize = WatchOptions.DEFAULT_QUEUE_CAPACITY;

    @UriParam(label = "advanced", defaultValue = "true", description = "Ask fanotify for an unbounded kernel queue")
    private boolean unlimitedKernelQueue = true;

    @UriParam(defaultValue = "true", description = "Follow process exec/fork/exit so short-lived processes are named")
    private boolean attribution = true;

    @UriParam(label = "advanced", defaultValue = "50ms", description = "A path is verified once quiet this long: 50ms, 1s (a unit is required)")
    private String debounce = "50ms";

    @UriParam(label = "advanced", defaultValue = "1s", description = "A path is verified at the latest this long after its first event")
    private String debounceMax = "1s";

    @UriParam(description = "Host name put on findings; default: vigil.host")
    private String host;

    public FswatchEndpoint(String uri, FswatchComponent component, FileAreas configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("fswatch: is consumer-only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FswatchConsumer consumer = new FswatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The pace of the trickle over directories without a kernel watch, comparing as the watch does. */
    TrickleOptions uncoveredTrickle(ScanOptions scan, PathPolicy policy) {
        TrickleOptions d = TrickleOptions.defaults();
        return new TrickleOptions(configuration.getByteRate(), configuration.getFileRate(), d.smallFiles(), d.speedup(),
                d.speedupHalfLife(), scan, policy);
    }

    /** The watcher's options for these areas (the ones that exist), with Vigil's own files left out. */
    WatchOptions watchOptions(List<Path> existingAreas, Set<Path> ownFiles) {
        Set<EventType> extra = EnumSet.noneOf(EventType.class);
        for (String e : Beans.list(events)) {
            extra.add(named("events", e, EventType.class, "MODIFY, OPEN_EXEC, ACCESS"));
        }
        // A literal path glob is a prefix the watcher can drop in its reader; every other glob is applied later.
        List<Path> literal = Beans.list(configuration.getExcludes()).stream().filter(g -> g.startsWith("/") && !g.matches(".*[*?\\[{].*"))
                .map(Path::of).toList();
        return new WatchOptions(existingAreas, literal, ownFiles, named("mode", mode, WatchOptions.Mode.class,
                "auto, fanotify, inotify"), named("markScope", markScope, WatchOptions.MarkScope.class, "filesystem, mount"),
                extra, queueSize, unlimitedKernelQueue, attribution);
    }

    /** An enum option by name, any case; a wrong one is refused naming the option and what it takes. */
    private <E extends Enum<E>> E named(String option, String value, Class<E> type, String allowed) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fswatch:" + name + ": " + option + " '" + value + "' is not one of " + allowed);
        }
    }

    Duration debounceQuiet() {
        return Duration.ofMillis(Beans.intervalMillis(debounce));
    }

    Duration debounceLimit() {
        return Duration.ofMillis(Beans.intervalMillis(debounceMax));
    }

    public FileAreas getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FileAreas configuration) {
        this.configuration = configuration;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getMarkScope() {
        return markScope;
    }

    public void setMarkScope(String markScope) {
        this.markScope = markScope;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public boolean isUnlimitedKernelQueue() {
        return unlimitedKernelQueue;
    }

    public void setUnlimitedKernelQueue(boolean unlimitedKernelQueue) {
        this.unlimitedKernelQueue = unlimitedKernelQueue;
    }

    public boolean isAttribution() {
        return attribution;
    }

    public void setAttribution(boolean attribution) {
        this.attribution = attribution;
    }

    public String getDebounce() {
        return debounce;
    }

    public void setDebounce(String debounce) {
        this.debounce = debounce;
    }

    public String getDebounceMax() {
        return debounceMax;
    }

    public void setDebounceMax(String debounceMax) {
        this.debounceMax = debounceMax;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }
}
