package dev.vigil.camel.fswatch;

import dev.vigil.watch.EventType;
import dev.vigil.watch.WatchOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code fswatch:} URIs map onto the watcher's options. */
class FswatchEndpointTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private FswatchEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, FswatchEndpoint.class);
    }

    @Test
    void uriOptionsMapOneToOneOntoWatchOptions() {
        FswatchEndpoint e = endpoint("fswatch:etc?areas=/etc&mode=Inotify&markScope=mount&events=modify,open_exec"
                + "&queueSize=128&unlimitedKernelQueue=false&attribution=false&excludes=/etc/cache,*.pyc&debounce=1s&debounceMax=5s");
        WatchOptions o = e.watchOptions(List.of(Path.of("/etc")), Set.of(Path.of("/var/lib/vigil/vigil.db")));

        assertEquals(WatchOptions.Mode.INOTIFY, o.mode());
        assertEquals(WatchOptions.MarkScope.MOUNT, o.markScope());
        assertEquals(Set.of(EventType.MODIFY, EventType.OPEN_EXEC), o.extraEvents());
        assertEquals(128, o.queueCapacity());
        assertEquals(false, o.unlimitedKernelQueue());
        assertEquals(false, o.attribution());
        assertEquals(List.of(Path.of("/etc/cache")), o.excludes(), "a literal path is dropped by the watcher; *.pyc later");
        assertEquals(Set.of(Path.of("/var/lib/vigil/vigil.db")), o.ignored());
        assertEquals(Duration.ofSeconds(1), e.debounceQuiet());
        assertEquals(Duration.ofSeconds(5), e.debounceLimit());
    }

    @Test
    void withoutOptionsTheWatchIsAutomaticWithTheDefaultQueueAndDebounce() {
        FswatchEndpoint e = endpoint("fswatch:etc?areas=/etc");
        WatchOptions o = e.watchOptions(List.of(Path.of("/etc")), Set.of());

        assertEquals(WatchOptions.Mode.AUTO, o.mode());
        assertEquals(WatchOptions.MarkScope.FILESYSTEM, o.markScope());
        assertEquals(WatchOptions.DEFAULT_QUEUE_CAPACITY, o.queueCapacity());
        assertEquals(Set.of(), o.extraEvents());
        assertEquals(Duration.ofMillis(50), e.debounceQuiet());
    }

    @Test
    void aWrongModeIsRefusedNamingTheOptionAndItsValues() {
        FswatchEndpoint e = endpoint("fswatch:etc?areas=/etc&mode=fanotfy");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.watchOptions(List.of(Path.of("/etc")), Set.of()));
        assertTrue(x.getMessage().contains("mode 'fanotfy' is not one of auto, fanotify, inotify"), x.getMessage());
    }

    @Test
    void theEndpointIsConsumerOnly() {
        assertThrows(UnsupportedOperationException.class, () -> endpoint("fswatch:etc?areas=/etc").createProducer());
    }
}
