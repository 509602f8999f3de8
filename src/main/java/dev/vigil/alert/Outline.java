package dev.vigil.alert;

import dev.vigil.text.Printable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reading order every human-facing renderer shares, so mail, HTML and Slack group a report the same way:
 * sources (files, logs, pids, then others), within a source groups (logcheck's headings for logs, the kind
 * otherwise), within a group the findings (files by path, others as they came), and per finding the
 * attribute changes and remaining details.
 */
final class Outline {

    /**
     * One source's part of a report. A burst ({@link #BURST} or more file findings, as when a tree is unpacked or
     * a cache is rebuilt) is summarised rather than listed: the critical findings in full, the busiest
     * directories with their counts by kind, and the first {@link #BURST_LISTED} others; {@code busiest} is empty
     * and {@code unlisted} zero otherwise. {@code count} is of the findings the report lists, {@code notListed} of
     * those its {@link ReportGate#UNLISTED} findings stand for (a full pool's).
     */
    record Part(Source source, List<Group> groups, int count, List<DirectoryCount> busiest, int busierDirectories,
                int unlisted, long notListed) {

        String title() {
            return switch (source) {
                case FILES -> "Files";
                case LOGS -> "Logs";
                case PIDS -> "Processes";
                case TEST -> "Test";
                case FLEET -> "Fleet";
            };
        }

        /**
         * A group's heading: logcheck's bare heading for logs and the bare title of what a report does not list
         * (its findings say how many), the kind with its count otherwise ("Added (3)", or "Added (first 12 of 4000)"
         * in a burst).
         */
        String heading(Group group) {
            if (source == Source.LOGS || ReportGate.UNLISTED.equals(group.findings().get(0).kind())) {
                return group.title();
            }
            int listed = group.findings().size();
            return group.title() + (listed == group.total() ? " (" + listed + ")" : " (first " + listed + " of " + group.total() + ")");
        }

        /** "4000 file changes in 312 directories; the busiest 20:" for a burst. */
        String burstHeading() {
            int directories = busiest.size() + busierDirectories;
            return (notListed > 0 ? count + " listed" : counted()) + " in " + directories
                    + (directories == 1 ? " directory" : " directories")
                    + "; the busiest " + busiest.size() + ":";
        }

        /** "…and 7000 more not listed here", under a burst's list. */
        String unlistedLine(Report report) {
            return "\u2026and " + unlisted + " more not listed here; the full report is kept in Vigil: report " + report.id();
        }

        /**
         * This part with the {@link ReportGate#UNLISTED} findings that end its report (a full pool's) as a last
         * group, "Not in this report", and the findings they stand for in its count.
         */
        Part withNotListed(List<Finding> notListed) {
            List<Group> all = new ArrayList<>(groups);
            all.add(new Group("Not in this report", List.copyOf(notListed)));
            return new Part(source, all, count, busiest, busierDirectories, unlisted,
                    this.notListed + notListed.stream().mapToLong(Unlisted::count).sum());
        }

        /** Every finding of the part, listed or not. */
        long total() {
            return count + notListed;
        }

        /** "3 file changes", "1 log event", "2 process events". */
        String counted() {
            return Outline.counted(source, total());
        }
    }

    /** Findings under one heading: all of them, or in a burst the first of {@code total}. */
    record Group(String title, List<Finding> findings, int total) {

        Group(String title, List<Finding> findings) {
            this(title, findings, findings.size());
        }
    }

    /** How many findings of each kind one directory had in a burst: {@code /srv/cache  Added 4000, Deleted 12}. */
    record DirectoryCount(String directory, Map<String, Integer> byKind, int total) {

        /** The counts by kind on one line, cut to {@link #MAIL_SUBJECT_CHARS}: a fleet host's report names its own kinds. */
        String counts() {
            StringJoiner line = new StringJoiner(", ");
            byKind.forEach((kind, n) -> line.add(kindTitle(kind) + " " + n));
            return Truncated.toChars(line.toString(), MAIL_SUBJECT_CHARS);
        }
    }

    /**
     * One attribute of a file finding. {@code before} or {@code after} is null for a file that has only one
     * side (ADDED, DELETED); an attribute missing on one side of a changed file reads "(none)".
     */
    record Change(String name, String before, String after) {

        /** {@code before <arrow> after}, or the one side the file has. */
        String shown(String arrow) {
            if (before != null && after != null) {
                return before + " " + arrow + " " + after;
            }
            return after != null ? after : before;
        }
    }

    /**
     * The most of one subject a mail shows, and about the most text a mail body holds unless its receiver's
     * {@code maxBytes} asks for less: a body of more helps no reader, and a mail has the body twice (text and HTML).
     */
    static final int MAIL_SUBJECT_CHARS = 4096;
    static final int MAIL_BODY_CHARS = 1 << 20;

    /**
     * File findings from which a part is a burst. Below it a reader goes through the list; above it a list is
     * skimmed, and the one change that matters hides among thousands, so the critical ones come first in full and
     * the rest are counted by directory.
     */
    static final int BURST = 200;
    /**
     * The non-critical findings a burst still lists, the first as they came: the start of a burst is nearest
     * its cause, and shows a reader what the burst looks like.
     */
    static final int BURST_LISTED = 50;
    /** The directories a burst counts by name; the others are summed on one line. */
    static final int BURST_DIRECTORIES = 20;

    private static final List<String> SECTION_ORDER =
            List.of(Details.SECURITY_ALERTS, Details.SECURITY_EVENTS, Details.SYSTEM_EVENTS);
    private static final List<String> ATTRIBUTE_ORDER =
            List.of("type", "mode", "uid", "user", "gid", "group", "size", "nlink", "inode", "mtime", "ctime");
    private static final Set<String> SHOWN_ELSEWHERE =
            Set.of(Details.BEFORE, Details.AFTER, Details.SECTION, Details.RULEFILE);

    private Outline() {
    }

    static List<Part> parts(Report report) {
        Map<Source, List<Finding>> bySource = new EnumMap<>(Source.class); // in the enum's order: files first
        Map<Source, List<Finding>> notListed = new EnumMap<>(Source.class);
        for (Finding f : report.findings()) {
            bySource.computeIfAbsent(f.source(), s -> new ArrayList<>());
            (ReportGate.UNLISTED.equals(f.kind()) ? notListed : bySource)
                    .computeIfAbsent(f.source(), s -> new ArrayList<>()).add(f);
        }
        List<Part> parts = new ArrayList<>();
        bySource.forEach((source, findings) -> {
            Part part = source == Source.FILES && findings.size() >= BURST
                    ? burst(findings)
                    : new Part(source, source == Source.LOGS ? logGroups(findings) : kindGroups(source, findings),
                            findings.size(), List.of(), 0, 0, 0);
            parts.add(notListed.containsKey(source) ? part.withNotListed(notListed.get(source)) : part);
        });
        return parts;
    }

    /** A files part summarised: its critical findings, its busiest directories, the first of the others. */
    private static Part burst(List<Finding> findings) {
        List<Finding> critical = new ArrayList<>();
        List<Finding> others = new ArrayList<>();
        Map<String, Map<String, Integer>> byDirectory = new HashMap<>();
        for (Finding f : findings) {
            (f.critical() ? critical : others).add(f);
            byDirectory.computeIfAbsent(parent(f.subject()), d -> new TreeMap<>()).merge(f.kind(), 1, Integer::sum);
        }
        List<Group> groups = new ArrayList<>();
        for (Group g : kindGroups(Source.FILES, critical)) {
            groups.add(new Group("Critical: " + g.title(), g.findings()));
        }
        Map<String, Integer> totals = new TreeMap<>();
        others.forEach(f -> totals.merge(f.kind(), 1, Integer::sum));
        List<Finding> listed = others.subList(0, Math.min(BURST_LISTED, others.size()));
        for (Group g : kindGroups(Source.FILES, listed)) {
            String kind = g.findings().get(0).kind();
            groups.add(new Group(g.title(), g.findings(), totals.get(kind)));
        }
        List<DirectoryCount> counts = byDirectory.entrySet().stream()
                .map(e -> new DirectoryCount(e.getKey(), e.getValue(),
                        e.getValue().values().stream().mapToInt(Integer::intValue).sum()))
                .sorted(Comparator.comparingInt(DirectoryCount::total).reversed()
                        .thenComparing(DirectoryCount::directory))
                .toList();
        List<DirectoryCount> busiest = counts.subList(0, Math.min(BURST_DIRECTORIES, counts.size()));
        return new Part(Source.FILES, groups, findings.size(), List.copyOf(busiest), counts.size() - busiest.size(),
                others.size() - listed.size(), 0);
    }

    /** The directory a file finding's path is in ("/" for a top-level entry). */
    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** What a mail says in place of the findings that did not fit in its {@link #MAIL_BODY_CHARS}. */
    static String omitted(long count, Report report) {
        return "\u2026and " + count + " more findings not shown here; the full report is kept in Vigil: report "
                + report.id();
    }

    /** "3 file changes, 2 log events" over all sources of the report, zero counts left out. */
    static String summary(Report report) {
        List<String> counts = parts(report).stream().map(Part::counted).toList();
        return String.join(", ", counts);
    }

    static String counted(Source source, long n) {
        String noun = switch (source) {
            case FILES -> "file change";
            case LOGS -> "log event";
            case PIDS -> "process event";
            case TEST -> "test finding";
            case FLEET -> "fleet event";
        };
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** "MODIFIED" -> "Modified", "SECURITY_ALERT" -> "Security alert"; printable, as a fleet host's kind is what it sent. */
    static String kindTitle(String kind) {
        String words = Printable.of(kind.replace('_', ' ').toLowerCase(Locale.ROOT));
        return words.isEmpty() ? "Other" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    static List<Change> changes(Finding finding) {
        Map<?, ?> before = Details.attributes(finding, Details.BEFORE);
        Map<?, ?> after = Details.attributes(finding, Details.AFTER);
        Set<String> names = new TreeSet<>(Comparator
                .comparingInt((String n) -> ATTRIBUTE_ORDER.contains(n) ? ATTRIBUTE_ORDER.indexOf(n) : ATTRIBUTE_ORDER.size())
                .thenComparing(Comparator.naturalOrder()));
        before.keySet().forEach(k -> names.add(String.valueOf(k)));
        after.keySet().forEach(k -> names.add(String.valueOf(k)));
        boolean bothSides = !before.isEmpty() && !after.isEmpty();
        List<Change> changes = new ArrayList<>();
        for (String name : names) {
            String missing = bothSides ? "(none)" : null;
            String was = before.containsKey(name) ? String.valueOf(before.get(name)) : missing;
            String is = after.containsKey(name) ? String.valueOf(after.get(name)) : missing;
            if (!bothSides || !Objects.equals(was, is)) {
                changes.add(new Change(name, was, is));
            }
        }
        return changes;
    }

    /**
     * The details a mail lists of one finding: at most {@value #MAIL_DETAIL_ROWS} rows, each name and value cut to
     * {@link #MAIL_SUBJECT_CHARS}, and how many rows are left out. A finding's details are as hostile as its subject
     * (a file's extended attributes are its owner's to write; a fleet host's report is its root's), and a mail lists
     * them whole otherwise: one finding alone could pass the receiver's size limit, however few the mail lists.
     */
    static DetailRows detailRows(Finding finding, String arrow) {
        List<DetailRow> rows = new ArrayList<>();
        int total = 0;
        for (Change c : changes(finding)) {
            if (total++ < MAIL_DETAIL_ROWS) {
                rows.add(DetailRow.of(c.name(), c.shown(arrow)));
            }
        }
        for (Map.Entry<String, Object> e : otherDetails(finding).entrySet()) {
            if (total++ < MAIL_DETAIL_ROWS) {
                rows.add(DetailRow.of(e.getKey(), String.valueOf(e.getValue())));
            }
        }
        return new DetailRows(List.copyOf(rows), total - rows.size());
    }

    /** The most detail rows a mail lists of one finding. */
    static final int MAIL_DETAIL_ROWS = 64;

    /** One row of a finding's details in a mail: its name and value, each cut. */
    record DetailRow(String name, String value) {
        static DetailRow of(String name, String value) {
            return new DetailRow(Truncated.toChars(name, MAIL_SUBJECT_CHARS), Truncated.toChars(value, MAIL_SUBJECT_CHARS));
        }
    }

    /** The detail rows a mail lists of one finding, and how many it leaves out. */
    record DetailRows(List<DetailRow> rows, int more) {
        /** What a mail says in place of the rows left out. */
        String moreLine() {
            return "\u2026and " + more + " more details";
        }
    }

    /** A finding's changes and other details on one line: {@code size 1024 -> 1088, uid 0}; empty if none. */
    static String inline(Finding finding, String arrow) {
        StringJoiner line = new StringJoiner(", ");
        changes(finding).forEach(c -> line.add(c.name() + " " + c.shown(arrow)));
        otherDetails(finding).forEach((key, value) -> line.add(key + " " + value));
        return line.toString();
    }

    /**
     * One finding as one line of a log or a SIEM event: the subject and what changed, or a log line under its
     * heading; control characters escaped.
     */
    static String message(Finding f) {
        if (f.source() == Source.LOGS) {
            return Printable.of(Details.heading(f) + ": " + f.subject());
        }
        String details = inline(f, "->");
        return Printable.of(f.subject() + (details.isEmpty() ? "" : ": " + details));
    }

    /** Details not shown by the layout itself, sorted by key. */
    static Map<String, Object> otherDetails(Finding finding) {
        Map<String, Object> other = new TreeMap<>(finding.details());
        other.keySet().removeAll(SHOWN_ELSEWHERE);
        if (finding.source() == Source.LOGS) {
            other.remove(Details.LOGFILE);
        }
        return other;
    }

    private static List<Group> kindGroups(Source source, List<Finding> findings) {
        Map<String, List<Finding>> byKind = new TreeMap<>();
        for (Finding f : findings) {
            byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
        }
        List<Group> groups = new ArrayList<>();
        byKind.forEach((kind, list) -> {
            if (source == Source.FILES) {
                list.sort(Comparator.comparing(Finding::subject));
            }
            groups.add(new Group(kindTitle(kind), List.copyOf(list)));
        });
        return groups;
    }

    /** logcheck's order: Security Alerts, Security Events, System Events, each by rule file name. */
    private static List<Group> logGroups(List<Finding> findings) {
        Map<String, List<Finding>> byHeading = new LinkedHashMap<>();
        findings.stream()
                .sorted(Comparator.comparingInt((Finding f) -> sectionRank(Details.section(f)))
                        .thenComparing(Details::heading))
                .forEach(f -> byHeading.computeIfAbsent(Details.heading(f), h -> new ArrayList<>()).add(f));
        List<Group> groups = new ArrayList<>();
        byHeading.forEach((heading, list) -> groups.add(new Group(Printable.of(heading), List.copyOf(list))));
        return groups;
    }

    private static int sectionRank(String section) {
        int rank = SECTION_ORDER.indexOf(section);
        return rank < 0 ? SECTION_ORDER.size() : rank;
    }
}
