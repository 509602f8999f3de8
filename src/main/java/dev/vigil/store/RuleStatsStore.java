package dev.vigil.store;

import dev.vigil.logcheck.Rule;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** How often each rule of a local tree matched, and when last (table {@code rule_stats}). */
public final class RuleStatsStore {

    /** One rule's statistics; {@code lastMatch} is null when it never matched. */
    public record Row(String file, String pattern, long matches, Instant firstSeen, Instant lastMatch) {}

    private final Database db;
    private final InstantSource clock;

    public RuleStatsStore(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    static String file(Rule rule) {
        return rule.path().toAbsolutePath().normalize().toString();
    }

    /** Notes rules the daemon has loaded; one already known keeps its first-seen time and counts. */
    public void seen(Collection<Rule> rules) {
        write("INSERT OR IGNORE INTO rule_stats (file, pattern, matches, first_seen) VALUES (?, ?, 0, ?)", rules, null);
    }

    /** Adds the matches of one batch. */
    public void record(Map<Rule, Integer> hits) {
        write("INSERT INTO rule_stats (file, pattern, matches, first_seen, last_match) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (file, pattern) DO UPDATE SET matches = matches + excluded.matches,"
                + " last_match = excluded.last_match", hits.keySet(), hits);
    }

    private void write(String sql, Collection<Rule> rules, Map<Rule, Integer> hits) {
        if (rules.isEmpty()) {
            return;
        }
        long now = clock.instant().toEpochMilli();
        db.inTransaction("cannot write rule_stats in " + db.file(), c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (Rule r : rules) {
                    s.setString(1, file(r));
                    s.setString(2, r.pattern());
                    if (hits == null) {
                        s.setLong(3, now);
                    } else {
                        s.setLong(3, hits.get(r));
                        s.setLong(4, now);
                        s.setLong(5, now);
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    /** Rules known since before {@code cutoff} that have not matched since, by file and pattern. */
    public List<Row> unusedSince(Instant cutoff) {
        return db.query("cannot read rule_stats in " + db.file(), "SELECT file, pattern, matches, first_seen, last_match"
                + " FROM rule_stats WHERE first_seen <= ? AND (last_match IS NULL OR last_match < ?) ORDER BY file, pattern", rs -> {
                    Object last = rs.getObject(5);
                    return new Row(rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)),
                            last == null ? null : Instant.ofEpochMilli(((Number) last).longValue()));
                }, cutoff.toEpochMilli(), cutoff.toEpochMilli());
    }
}
