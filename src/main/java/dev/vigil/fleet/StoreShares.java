package dev.vigil.fleet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each host's findings take of the fleet store (the bytes of their JSON), against one bound for every host
 * ({@code vigil.collect.hostMaxBytes}). A host's findings are its root's to write: without a bound, one host (or
 * whoever holds its key) filled the store's disk at the rate the collector stores findings, and every host's
 * evidence stopped with it. A report that would take its host past the bound is not stored (the caller quarantines
 * it, as it does a record that fails its checks, within the quarantine's own bound).
 *
 * <p>The store keeps each host's total (table host_shares), which every collector adds to in the transaction that
 * stores the findings ({@link #added}), so a kill or a poll read again neither loses nor repeats a count. This holds
 * the totals as last read ({@link #read}, every collector's, every few seconds: a host whose partition moves to another
 * collector is held there too) and what this collector stored since. Between two reads each collector knows only its
 * own: a host writing to every partition stores at most what the collectors store in that time beyond its bound.
 * Thread-safe.
 */
public final class StoreShares {

    private final long max;
    private final Map<String, Share> hosts = new ConcurrentHashMap<>();

    /** One host's bytes: the store's total as last read, and what this collector stored since it began that read. */
    private static final class Share {
        long read;
        long since;
    }

    /** @param max the most bytes of one host's findings the store keeps */
    public StoreShares(long max) {
        this.max = max;
    }

    /** The most bytes of one host's findings the store keeps. */
    public long max() {
        return max;
    }

    /** The bytes of {@code host}'s findings in the store, as far as this collector knows. */
    public long used(String host) {
        Share share = hosts.get(host);
        if (share == null) {
            return 0;
        }
        synchronized (share) {
            return share.read + share.since;
        }
    }

    /** Whether {@code bytes} more of {@code host}'s findings fit its share. */
    public boolean fits(String host, long bytes) {
        return bytes <= max - used(host);
    }

    /**
     * The rows (host, bytes) to add to the store's totals for findings rows about to be stored (each: its host and its
     * JSON's bytes, {@code bytesKey}), one a host, by host (every collector takes the rows' locks in the same order).
     */
    public static List<Map<String, Object>> additions(List<Map<String, Object>> rows, String bytesKey) {
        Map<String, Long> byHost = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            if (row.get(bytesKey) instanceof Long bytes) {
                byHost.merge((String) row.get("host"), bytes, Long::sum);
            }
        }
        return byHost.entrySet().stream().map(e -> Map.<String, Object>of("host", e.getKey(), "bytes", e.getValue()))
                .toList();
    }

    /** {@link #additions} were added to the store's totals, and committed. */
    public void added(List<Map<String, Object>> additions) {
        for (Map<String, Object> addition : additions) {
            Share share = share((String) addition.get("host"));
            synchronized (share) {
                share.since += (Long) addition.get("bytes");
            }
        }
    }

    /** What this collector stored of each host since its last read: to give {@link #read} once the totals are read. */
    public Map<String, Long> beforeReading() {
        Map<String, Long> since = new HashMap<>();
        hosts.forEach((host, share) -> {
            synchronized (share) {
                since.put(host, share.since);
            }
        });
        return since;
    }

    /**
     * The store's totals read ({@code totals}, by host), which hold what this collector stored before the read
     * ({@code before}, {@link #beforeReading}) and maybe some of what it stored during it: counted twice until the next
     * read, erring towards the bound. A host without a total has none.
     */
    public void read(Map<String, Long> totals, Map<String, Long> before) {
        totals.keySet().forEach(this::share);
        hosts.forEach((host, share) -> {
            synchronized (share) {
                share.read = totals.getOrDefault(host, 0L);
                share.since -= before.getOrDefault(host, 0L);
            }
        });
    }

    private Share share(String host) {
        return hosts.computeIfAbsent(host, name -> new Share());
    }
}
