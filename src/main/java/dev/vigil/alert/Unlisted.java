package dev.vigil.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The findings a full pool does not list ({@link ReportGate#listingAtMost}): their event history rows (as
 * {@link EventRows}), and their count by kind, their times and their highest severity, which the report's last
 * finding says. A subject found again while counted is counted again (its earlier finding is not kept to be
 * replaced). Not thread-safe: its gate's lock guards it.
 */
final class Unlisted {

    /**
     * The most kinds counted by name; the findings of further kinds are counted as {@value #OTHER_KINDS}. A source
     * has a handful of kinds, but a fleet host's findings say their own, so a hostile host could name a new one
     * each time.
     */
    static final int MAX_KINDS = 32;
    static final String OTHER_KINDS = "OTHER";
    static final String COUNT = "count";
    static final String BY_KIND = "byKind";
    static final String FIRST = "first";
    static final String LAST = "last";

    private final Map<String, Integer> byKind = new TreeMap<>();
    private final EventRows events = new EventRows();
    private Instant first;
    private Instant last;
    /** The host of the first finding counted: the report's, when it lists none. */
    private String host;
    private Severity severity = Severity.INFO;

    void add(RecordedFinding recorded) {
        Finding f = recorded.finding();
        events.add(recorded.event());
        if (host == null) {
            host = f.host();
        }
        String kind = byKind.containsKey(f.kind()) || byKind.size() < MAX_KINDS ? f.kind() : OTHER_KINDS;
        byKind.merge(kind, 1, Integer::sum);
        if (first == null || f.time().isBefore(first)) {
            first = f.time();
        }
        if (last == null || f.time().isAfter(last)) {
            last = f.time();
        }
        if (f.severity().compareTo(severity) > 0) {
            severity = f.severity();
        }
    }

    /** Forgets what it counted, for the gate's next window. */
    void clear() {
        byKind.clear();
        events.clear();
        first = null;
        last = null;
        host = null;
        severity = Severity.INFO;
    }

    int count() {
        return events.size();
    }

    /** The host of the first finding counted, or null while none is. */
    String host() {
        return host;
    }

    Set<String> kinds() {
        return byKind.keySet();
    }

    void addEventsTo(List<Long> out) {
        events.addTo(out);
    }

    /**
     * The finding that ends the report: "12000 more findings not in this report" with details {@value #COUNT}, their
     * count {@value #BY_KIND} and the times of the {@value #FIRST} and {@value #LAST}, at the severity of the most
     * urgent of them, so a reader knows what to look up.
     */
    Finding finding(Source source, String host) {
        int count = count();
        return new Finding(source, ReportGate.UNLISTED, count + " more " + (count == 1 ? "finding" : "findings")
                + " not in this report; vigil events lists them", host, last, severity,
                Map.of(COUNT, count, BY_KIND, new TreeMap<>(byKind), FIRST, first.toString(), LAST, last.toString()));
    }

    /** How many findings an {@value ReportGate#UNLISTED} finding stands for: its count, 1 if it names none (a fleet host's). */
    static long count(Finding unlisted) {
        return unlisted.details().get(COUNT) instanceof Number n ? Math.min(Integer.MAX_VALUE, Math.max(1, n.longValue())) : 1;
    }
}
