package dev.vigil.store;

import dev.vigil.logcheck.Rule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Per-rule match counts and last-match times in the {@code rule_stat} table. */
public final class RuleStats {

    private final Database db;

    public RuleStats(Database db) {
        this.db = db;
    }

    /** Adds a batch of hit counts (from {@code RuleMatcher.drainHits()}) made at {@code when}, in one transaction. */
    public void add(Map<Rule, Long> hits, Instant when) {
        if (hits.isEmpty()) {
            return;
        }
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rule_stat(path, pattern, matches, last_match) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT(path, pattern) DO UPDATE SET matches = matches + excluded.matches, "
                    + "last_match = max(last_match, excluded.last_match)")) {
                for (Map.Entry<Rule, Long> e : hits.entrySet()) {
                    ps.setString(1, e.getKey().path().toAbsolutePath().toString());
                    ps.setString(2, e.getKey().pattern());
                    ps.setLong(3, e.getValue());
                    ps.setString(4, when.toString());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record rule statistics: " + e.getMessage(), e);
        }
    }

    /** The rules among {@code rules} that matched nothing since {@code since}, in the given order. */
    public List<Rule> unused(Collection<Rule> rules, Instant since) {
        Map<String, Instant> last = new HashMap<>();
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT path, pattern, last_match FROM rule_stat");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                last.put(rs.getString(1) + "\n" + rs.getString(2), Instant.parse(rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read rule statistics: " + e.getMessage(), e);
        }
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            Instant at = last.get(r.path().toAbsolutePath() + "\n" + r.pattern());
            if (at == null || at.isBefore(since)) {
                out.add(r);
            }
        }
        return out;
    }
}
