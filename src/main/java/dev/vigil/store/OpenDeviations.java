package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Source;
import dev.vigil.os.PathBytes;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is open: each file deviation the daemon reported and nobody has accepted nor reverted (table
 * {@code reported}), and each PID problem not yet recovered (table {@code pid_state}), with the newest finding
 * about it from the event history (null once the history's retention has removed it). Log findings are events,
 * not states: none of them is open.
 */
public final class OpenDeviations {

    /** One open deviation: its source and subject (an escaped path, a PID file), and what it last was. */
    public record Open(Source source, String subject, String kind, Finding finding) {
    }

    /** At most {@code limit} of each source's open deviations, and how many there are in all. */
    public record Page(List<Open> open, long total) {
    }

    private final Database db;

    public OpenDeviations(Database db) {
        this.db = db;
    }

    public Page list(int limit) {
        EventLog events = new EventLog(db);
        ReportedState reported = new ReportedState(db);
        List<Open> open = new ArrayList<>();
        List<String> paths = reported.paths(limit).stream().map(PathBytes::escape).toList();
        Map<String, Finding> lastFiles = events.newestAbout(Source.FILES, paths);
        for (String path : paths) {
            Finding last = lastFiles.get(path);
            open.add(new Open(Source.FILES, path, last == null ? null : last.kind(), last));
        }
        Map<String, PidStateStore.OpenProblem> problems = new LinkedHashMap<>();
        for (PidStateStore.OpenProblem p : new PidStateStore(db, Clock.systemUTC()).problems()) {
            problems.putIfAbsent(p.subject(), p);
        }
        List<String> subjects = problems.keySet().stream().limit(limit).toList();
        Map<String, Finding> lastPids = events.newestAbout(Source.PIDS, subjects);
        for (String subject : subjects) {
            open.add(new Open(Source.PIDS, subject, problems.get(subject).problem().name(), lastPids.get(subject)));
        }
        return new Page(open, reported.count() + problems.size());
    }
}
