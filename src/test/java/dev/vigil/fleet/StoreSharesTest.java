package dev.vigil.fleet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreSharesTest {

    private final StoreShares shares = new StoreShares(1000);

    @Test
    void aHostsFindingsFitWhileWhatItStoredAndTheirBytesStayWithinTheBound() {
        assertTrue(shares.fits("web1", 1000));
        assertFalse(shares.fits("web1", 1001));
        shares.added(List.of(addition("web1", 600)));
        assertTrue(shares.fits("web1", 400));
        assertFalse(shares.fits("web1", 401));
        assertTrue(shares.fits("web2", 1000), "each host has a share of its own");
    }

    @Test
    void theAdditionsOfFindingsRowsAreOneAHostInTheHostsOrderWithoutTheCollectorsOwn() {
        List<Map<String, Object>> rows = List.of(row("web2", 10L), row("web1", 5L), row("web2", 7L),
                Map.of("host", "collector"));
        assertEquals(List.of(addition("web1", 5), addition("web2", 17)), StoreShares.additions(rows, "bytes"));
    }

    @Test
    void theStoresTotalsReplaceWhatWasReadAndWhatThisCollectorStoredBeforeReadingThem() {
        shares.added(List.of(addition("web1", 300)));
        Map<String, Long> before = shares.beforeReading();
        shares.added(List.of(addition("web1", 50))); // stored while the totals were read: not in them
        shares.read(Map.of("web1", 900L, "web2", 400L), before); // another collector stored 600 more of web1's
        assertEquals(950, shares.used("web1"));
        assertEquals(400, shares.used("web2"), "a host only another collector stored");
        assertFalse(shares.fits("web1", 51));

        shares.read(Map.of(), shares.beforeReading()); // the retention deleted them all
        assertEquals(0, shares.used("web1"));
        assertEquals(0, shares.used("web2"));
    }

    private static Map<String, Object> addition(String host, long bytes) {
        return Map.of("host", host, "bytes", bytes);
    }

    private static Map<String, Object> row(String host, long bytes) {
        return Map.of("host", host, "bytes", bytes, "finding", "{}");
    }
}
