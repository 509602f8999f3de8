package dev.vigil.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pools one source's findings into reports and paces them (integrityd's {@code reporttime} and
 * {@code reportholdoff}), so a burst of changes becomes one message rather than hundreds.
 *
 * <ul>
 *   <li><b>Pooling</b>: the first finding opens a window of {@code reporttime}; everything offered until it
 *       closes goes into the same report. The window is fixed: a steady trickle of findings cannot postpone
 *       the report forever, which is why Camel's {@code completionTimeout} (an inactivity timeout) is not
 *       used for this.</li>
 *   <li><b>Holdoff</b>: once a report has gone out, the next one waits until {@code reportholdoff} has
 *       passed since it, and keeps pooling meanwhile. It holds back only more of the same news: a finding of a
 *       kind the last report did not have (a file's content MODIFIED after a report of a burst of ADDED and
 *       DELETED) waits no longer than {@code reporttime}, and the pool goes out with it. A flood of one kind of
 *       change must not hide a different, maybe more serious one for the whole holdoff. After a restart the
 *       kinds of the last report are not known, and its holdoff holds back every kind.</li>
 *   <li><b>Each subject once</b> (for a source whose subjects are paths, see {@link #listingEachSubjectOnce}): a
 *       later finding of a subject already pooled takes the earlier one's place, as it tells the subject's state
 *       now, so a directory changed twice in one window is listed once.</li>
 *   <li><b>Critical</b> findings are neither pooled nor held: each goes out at once as a report of its own,
 *       and it does not start a holdoff, so it never delays the ordinary reports either. But not a flood of them:
 *       after {@value #CRITICAL_AT_ONCE} critical reports within a minute, the next critical findings wait until
 *       the first of those is a minute old and go out together (bounded as a pool is, below). Any user can write a
 *       log line a cracking rule matches ({@code logger -t 'sshd[1]' 'POSSIBLE BREAK-IN ATTEMPT!'}), and a real
 *       brute force writes hundreds: each a mail of its own would bury the owner, and the channels' limits with
 *       him.</li>
 *   <li><b>At most so many listed</b> (see {@link #listingAtMost}): a pool that holds that many findings keeps
 *       of each later one only its event history row, its kind, time and severity (but an ACCEPTED finding, which
 *       announces the baseline's seal, is listed: {@link #announcesSeal}), and the report ends with one
 *       {@value #UNLISTED} finding that counts them by kind ({@link Unlisted}). The pool lives in memory for up to a
 *       holdoff, and what fills it is not ours: a user who deletes a million files or writes a million log lines
 *       must not run the daemon out of memory (100,000 pooled file findings already filled a 256 MB heap), and a
 *       report of a million findings helps no reader. Nor so much text ({@link #listingAtMostChars}): a finding's
 *       size is not ours either (a file's extended attributes are its owner's to write, a fleet host's findings its
 *       root's), and ten thousand findings of a megabyte each would fill any heap. The findings themselves stay in
 *       the event history ({@code vigil events}), and the report still takes each one's row.</li>
 * </ul>
 * A report is due at {@code max(first pooled + reporttime, last report + reportholdoff)}, or, with a finding of a
 * kind new since the last report pooled, at {@code max(first pooled + reporttime, min(last report +
 * reportholdoff, first new kind pooled + reporttime))}. The gate does not
 * run a timer of its own: the caller calls {@link #poll()} when {@link #nextDue()} says so (or on a short
 * fixed tick); {@link #offer} also returns a report that is already due, so with {@code reporttime} 0 and
 * no holdoff pending a finding goes out without waiting for the tick.
 *
 * <p>The pool lives in memory, but each finding's event history row says whether a report has taken it: after
 * a crash the daemon gives the findings still pooled back with {@link #restore}, and the time of the last report
 * with {@link #continueHoldoff}. Thread-safe.
 */
public final class ReportGate {

    /** The kind of the finding that ends a report whose pool was full: how many findings it does not list. */
    public static final String UNLISTED = "UNLISTED";
    /** The most critical reports of one gate that go out at once within {@link #CRITICAL_PERIOD}. */
    static final int CRITICAL_AT_ONCE = 10;
    static final Duration CRITICAL_PERIOD = Duration.ofMinutes(1);

    private final Source source;
    private final Duration reportTime;
    private final Duration holdoff;
    private final InstantSource clock;

    /**
     * The pooled findings in the order pooled, each under its subject when each subject is listed once (a later
     * finding of it found and replaced without a scan of the pool: a flood of distinct paths held by a holdoff made
     * each offer walk the whole pool: 6 % of the collector's reports consumer in a flood; bench/README.md), else
     * under a key of its own.
     */
    private final LinkedHashMap<Object, RecordedFinding> pooled = new LinkedHashMap<>();
    /**
     * Event history rows of pooled findings a later one of their subject replaced: taken by the next report too. As
     * {@code long}s, as a file changed over and over in a holdoff adds one each time.
     */
    private final EventRows superseded = new EventRows();
    private boolean eachSubjectOnce;
    private int maxListed = Integer.MAX_VALUE;
    private long maxListedChars = Long.MAX_VALUE;
    /** The {@link #textChars} of the findings {@link #pooled}, and of those {@link #criticalWaiting}. */
    private long pooledChars;
    private long criticalChars;
    /** What every gate sharing it may list together, or null for no bound but the gate's own. */
    private TextBudget.Share budget;
    /** What came while the pool was full. */
    private final Unlisted unlisted = new Unlisted();
    /** When the last critical reports went out, oldest first: at most {@link #CRITICAL_AT_ONCE}. */
    private final ArrayDeque<Instant> criticalSent = new ArrayDeque<>();
    /** Critical findings waiting for their minute (see the class comment), and what of them did not fit. */
    private final List<RecordedFinding> criticalWaiting = new ArrayList<>();
    private final Unlisted criticalUnlisted = new Unlisted();
    private Instant windowStart;
    private Instant lastReport;
    /** The kinds of findings the last report held, which its holdoff holds back; null: every kind. */
    private Set<String> heldKinds;
    /** When the first pooled finding of a kind not in {@link #heldKinds} was pooled; null if none is. */
    private Instant newKindSince;

    public ReportGate(Source source, Duration reportTime, Duration holdoff, InstantSource clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.reportTime = requireNotNegative(reportTime, "reportTime");
        this.holdoff = requireNotNegative(holdoff, "reportHoldoff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The same, with times in seconds as {@code vigil.report.<source>.reportTime/reportHoldoff} give them. */
    public ReportGate(Source source, long reportTimeSeconds, long holdoffSeconds, InstantSource clock) {
        this(source, Duration.ofSeconds(reportTimeSeconds), Duration.ofSeconds(holdoffSeconds), clock);
    }

    /**
     * Makes this gate list each subject once per report (for file findings, whose subject is a path): of several
     * findings of one subject in a window, the report has the last. Returns this gate.
     */
    public synchronized ReportGate listingEachSubjectOnce() {
        eachSubjectOnce = true;
        return this;
    }

    /**
     * Makes this gate list at most {@code max} findings in a report and count the rest of its window in an
     * {@value #UNLISTED} finding (a later finding of a subject listed still takes its place). Returns this gate.
     */
    public synchronized ReportGate listingAtMost(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a report lists at least one finding: " + max);
        }
        maxListed = max;
        return this;
    }

    /**
     * Makes this gate list findings in a report only while their text ({@link #textChars}) stays within {@code max}
     * characters, and count the rest of its window in an {@value #UNLISTED} finding, as {@link #listingAtMost} does.
     * Returns this gate.
     */
    public synchronized ReportGate listingAtMostChars(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("a report lists at least one character: " + max);
        }
        maxListedChars = max;
        return this;
    }

    /**
     * Makes this gate list a finding only while it fits {@code budget} too, a host's share of a {@link TextBudget}
     * which other gates share (the host's other sources', and through the budget a collector's pools of all its
     * hosts), and count it otherwise, as {@link #listingAtMostChars} does; but for a critical finding reported at once
     * and an ACCEPTED announcing a seal, listed within the gate's own bounds whatever the others hold (a count of the
     * ACCEPTED would read as tampering to the collector). Returns this gate.
     */
    public synchronized ReportGate sharingTextBudget(TextBudget.Share budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        return this;
    }

    /**
     * The characters of a finding's text: its subject, kind and host, and its details' keys and texts (in maps and
     * lists among them too), and {@value #VALUE_CHARS} more for each of those and each value, map and list (null
     * too), which cost memory beyond their text: a fleet host's record of a megabyte of empty lists ({@code
     * [[],[],...]}) is a third of a million objects. What listing it holds in memory, near enough, without writing
     * it out.
     */
    static long textChars(Finding f) {
        return textChars(f.subject()) + textChars(f.kind()) + textChars(f.host()) + textChars(f.details());
    }

    /** What each text, value, map and list counts beyond its text ({@link #textChars}). */
    static final int VALUE_CHARS = 8;

    private static long textChars(Object value) {
        long chars = VALUE_CHARS;
        if (value instanceof String text) {
            chars += text.length();
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                chars += textChars(String.valueOf(e.getKey())) + textChars(e.getValue());
            }
        } else if (value instanceof Collection<?> values) {
            for (Object v : values) {
                chars += textChars(v);
            }
        }
        return chars;
    }

    public Source source() {
        return source;
    }

    /**
     * Takes one finding of this gate's source. Returns a report to send now: the critical finding on its
     * own, or the pool if it is already due; otherwise empty and the finding waits in the pool.
     */
    public synchronized Optional<ClosedReport> offer(RecordedFinding finding) {
        return pool(finding, clock.instant());
    }

    /**
     * Takes a finding pooled before a restart, as {@link #offer} does, but with its window counted from when the
     * finding was made: a window that should have closed while Vigil was down closes now.
     */
    public synchronized Optional<ClosedReport> restore(RecordedFinding finding) {
        return pool(finding, finding.finding().time());
    }

    /**
     * Takes the time of this source's last report before a restart, so that its holdoff runs on across the
     * restart; an earlier time than the last report known changes nothing.
     */
    public synchronized void continueHoldoff(Instant reported) {
        if (lastReport == null || reported.isAfter(lastReport)) {
            lastReport = reported;
            heldKinds = null;
        }
    }

    /** Returns the pooled report if it is due now, and starts the holdoff; otherwise empty. */
    public synchronized Optional<ClosedReport> poll() {
        return poll(clock.instant());
    }

    /** When the next report will be due (the pool's, or the critical findings' waiting), or empty if nothing waits. */
    public synchronized Optional<Instant> nextDue() {
        Optional<Instant> due = poolDue();
        if (!criticalWaits()) {
            return due;
        }
        Instant critical = criticalDue();
        return Optional.of(due.isPresent() && due.get().isBefore(critical) ? due.get() : critical);
    }

    /** When the critical findings waiting may go out: when the first of the last critical reports is a minute old. */
    private Instant criticalDue() {
        return criticalSent.getFirst().plus(CRITICAL_PERIOD);
    }

    /** Whether critical findings wait for their minute, listed or only counted. */
    private boolean criticalWaits() {
        return !criticalWaiting.isEmpty() || criticalUnlisted.count() > 0;
    }

    /**
     * When the pooled findings will be due, or empty if nothing is pooled (listed, or only counted: a finding whose
     * text alone passes the bound is counted in an empty pool, and its report must still go out).
     */
    private Optional<Instant> poolDue() {
        if (pooled.isEmpty() && unlisted.count() == 0) {
            return Optional.empty();
        }
        Instant due = windowStart.plus(reportTime);
        if (lastReport != null && lastReport.plus(holdoff).isAfter(due)) {
            Instant held = lastReport.plus(holdoff);
            if (newKindSince != null && newKindSince.plus(reportTime).isBefore(held)) {
                held = newKindSince.plus(reportTime);
            }
            if (held.isAfter(due)) {
                due = held;
            }
        }
        return Optional.of(due);
    }

    /** How many findings wait in the pool or for their minute, listed or counted. */
    public synchronized int pooled() {
        return pooled.size() + unlisted.count() + criticalWaiting.size() + criticalUnlisted.count();
    }

    /** How many event history rows the next reports take: those of {@link #pooled} and of the findings they replaced. */
    public synchronized int eventRows() {
        return pooled() + superseded.size();
    }

    private Optional<ClosedReport> pool(RecordedFinding recorded, Instant pooledAt) {
        Finding finding = recorded.finding();
        if (source != finding.source()) {
            throw new IllegalArgumentException("finding of source " + finding.source() + " offered to the "
                    + source + " gate");
        }
        Instant now = clock.instant();
        if (finding.critical()) {
            return critical(recorded, now);
        }
        if (windowStart == null || pooledAt.isBefore(windowStart)) {
            windowStart = pooledAt;
        }
        Object key = eachSubjectOnce ? finding.subject() : new Object();
        RecordedFinding earlier = pooled.remove(key);
        if (earlier != null) {
            superseded.add(earlier.event());
            long earlierChars = textChars(earlier.finding());
            pooledChars -= earlierChars;
            give(earlierChars);
        }
        if (heldKinds != null && !heldKinds.contains(finding.kind())
                && (newKindSince == null || pooledAt.isBefore(newKindSince))) {
            newKindSince = pooledAt;
        }
        boolean seal = announcesSeal(finding);
        long room = seal ? 2 : 1;
        long chars = textChars(finding);
        if ((earlier == null && pooled.size() >= room * maxListed)
                || pooledChars + chars > room * Math.min(maxListedChars, Long.MAX_VALUE / room)
                || !(seal ? takeAnyway(chars) : take(chars))) {
            unlisted.add(recorded);
        } else {
            pooled.put(key, recorded);
            pooledChars += chars;
        }
        return poll(now);
    }

    /**
     * Whether the finding announces its baseline's new seal (an ACCEPTED): such a finding is listed in a full pool
     * too, up to as many again as the pool lists (findings and characters), as a fleet's collector judges the host's
     * baseline by it and a count would read as tampering. The bound stays, as a fleet host could put a seal in every
     * finding.
     */
    private static boolean announcesSeal(Finding finding) {
        return finding.details().containsKey(Details.SEAL);
    }

    /**
     * A critical finding: a report now, with the critical findings that waited, unless {@value #CRITICAL_AT_ONCE}
     * critical reports went out within the last minute; then it waits with them.
     */
    private Optional<ClosedReport> critical(RecordedFinding recorded, Instant now) {
        boolean atOnce = criticalSent.size() < CRITICAL_AT_ONCE || !now.isBefore(criticalDue());
        long chars = textChars(recorded.finding());
        if (atOnce ? takeAnyway(chars)
                : criticalWaiting.size() < maxListed && criticalChars + chars <= maxListedChars && take(chars)) {
            criticalWaiting.add(recorded);
            criticalChars += chars;
        } else {
            criticalUnlisted.add(recorded);
        }
        return atOnce ? Optional.of(closeCritical(now)) : Optional.empty();
    }

    private ClosedReport closeCritical(Instant now) {
        ClosedReport report = report(criticalWaiting, new EventRows(), criticalUnlisted, now);
        criticalWaiting.clear();
        give(criticalChars);
        criticalChars = 0;
        criticalUnlisted.clear();
        criticalSent.addLast(now);
        if (criticalSent.size() > CRITICAL_AT_ONCE) {
            criticalSent.removeFirst();
        }
        return report;
    }

    /** The critical findings that waited if their minute has passed, else the pool if it is due; else empty. */
    private Optional<ClosedReport> poll(Instant now) {
        if (criticalWaits() && !now.isBefore(criticalDue())) {
            return Optional.of(closeCritical(now));
        }
        Optional<Instant> due = poolDue();
        if (due.isEmpty() || now.isBefore(due.get())) {
            return Optional.empty();
        }
        return Optional.of(close(now));
    }

    private ClosedReport close(Instant now) {
        ClosedReport report = report(pooled.values(), superseded, unlisted, now);
        heldKinds = new HashSet<>();
        pooled.values().forEach(r -> heldKinds.add(r.finding().kind()));
        heldKinds.addAll(unlisted.kinds());
        unlisted.clear();
        newKindSince = null;
        pooled.clear();
        give(pooledChars);
        pooledChars = 0;
        superseded.clear();
        windowStart = null;
        lastReport = now;
        return report;
    }

    /**
     * A report of {@code listed}, ended by the finding that counts {@code unlisted} if it counts any, taking the rows of all
     * of them and of {@code superseded}.
     */
    private ClosedReport report(Collection<RecordedFinding> listed, EventRows superseded, Unlisted unlisted, Instant now) {
        List<Finding> findings = new ArrayList<>(listed.size() + 1);
        List<Long> events = new ArrayList<>(listed.size() + superseded.size());
        for (RecordedFinding r : listed) {
            findings.add(r.finding());
            events.add(r.event());
        }
        superseded.addTo(events);
        if (unlisted.count() > 0) {
            findings.add(unlisted.finding(source, findings.isEmpty() ? unlisted.host() : findings.get(0).host()));
            unlisted.addEventsTo(events);
        }
        return new ClosedReport(Report.of(source, findings, now), events);
    }

    /** Takes {@code chars} of the shared budget, if there is one; false if they do not fit it. */
    private boolean take(long chars) {
        return budget == null || budget.take(chars);
    }

    /**
     * Takes {@code chars} of the shared budget, if there is one, whether they fit or not: for a finding listed whatever
     * is pooled (a critical one reported at once; an ACCEPTED, which a collector judges the host's baseline by, within
     * its pool's own room). True.
     */
    private boolean takeAnyway(long chars) {
        if (budget != null) {
            budget.takeAnyway(chars);
        }
        return true;
    }

    private void give(long chars) {
        if (budget != null) {
            budget.give(chars);
        }
    }

    private static Duration requireNotNegative(Duration duration, String name) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
        return duration;
    }
}
