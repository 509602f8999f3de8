package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the commands read of the fleet store the collector writes (routes/collect/fleet.yaml makes the schema and
 * writes every row): the hosts with their state, and a host's findings. Plain JDBC, on SQLite and PostgreSQL alike.
 */
public final class FleetStore {

    private final DataSource store;

    public FleetStore(DataSource store) {
        this.store = store;
    }

    /**
     * A host as the fleet store knows it.
     *
     * @param openDeviations its file findings since its last ACCEPTED (all of them when it never accepted any), an
     *                       UNLISTED one (a full pool's) counted as the findings it stands for
     * @param storedBytes    the bytes of its findings' JSON the store holds (table host_shares), against
     *                       {@code vigil.collect.hostMaxBytes}
     */
    public record Host(String name, Instant lastHeartbeat, boolean silent, String mode, long openDeviations,
                       long storedBytes) {}

    /** A host's file findings after its last ACCEPTED (all when it has none), as a condition on findings {@code f}. */
    private static final String OPEN = "f.host = h.name AND f.source = 'files' AND f.found_at > COALESCE((SELECT"
            + " MAX(a.found_at) FROM findings a WHERE a.host = h.name AND a.kind = 'ACCEPTED'), 0)";

    /**
     * Every host that ever sent a heartbeat, by name. The UNLISTED findings, one a full pool's report, are read
     * whole for the count each holds.
     */
    public List<Host> hosts() {
        String listed = "SELECT " + BEATING + ", (SELECT COUNT(*) FROM findings f WHERE " + OPEN
                + " AND f.kind <> 'UNLISTED') FROM " + HOSTS + " ORDER BY h.name";
        String unlisted = "SELECT h.name, f.finding FROM hosts h JOIN findings f ON " + OPEN + " AND f.kind = 'UNLISTED'";
        List<Host> hosts = new ArrayList<>();
        Map<String, Long> counted = new HashMap<>();
        try (Connection c = store.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(unlisted); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counted.merge(rs.getString(1), Json.read(rs.getString(2), Finding.class).standsFor(), Long::sum);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(listed); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Beating b = beating(rs);
                    hosts.add(new Host(b.name(), b.lastHeartbeat(), b.silent(), b.mode(),
                            rs.getLong(6) + counted.getOrDefault(b.name(), 0L), b.storedBytes()));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the hosts of the fleet store: " + e.getMessage(), e);
        }
        return hosts;
    }

    /**
     * A host's heartbeat state and stored bytes, as the web view lists them: without {@link Host#openDeviations},
     * which scans the host's findings (the page asks every 30 s).
     */
    public record Beating(String name, Instant lastHeartbeat, boolean silent, String mode, long storedBytes) {}

    /** The columns {@link #beating} reads, first in a query of {@link #HOSTS}. */
    private static final String BEATING = "h.name, h.last_heartbeat, h.silent, h.mode, COALESCE(s.bytes, 0)";
    /** Each host with its stored bytes, when it has any. */
    private static final String HOSTS = "hosts h LEFT JOIN host_shares s ON s.host = h.name";

    private static Beating beating(ResultSet rs) throws SQLException {
        return new Beating(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3) != 0,
                rs.getString(4) == null ? "" : rs.getString(4), rs.getLong(5));
    }

    /** At most {@code limit} hosts, silent ones first, then by name, and how many the store has. */
    public record HostPage(long total, List<Beating> hosts) {}

    /** The hosts of {@link HostPage}: one row a host listed, from tables hosts and host_shares only. */
    public HostPage hostPage(int limit) {
        List<Beating> hosts = new ArrayList<>();
        try (Connection c = store.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hosts"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + BEATING + " FROM " + HOSTS
                    + " ORDER BY h.silent DESC, h.name LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hosts.add(beating(rs));
                    }
                }
            }
            return new HostPage(total, hosts);
        } catch (SQLException e) {
            throw new StoreException("cannot read the hosts of the fleet store: " + e.getMessage(), e);
        }
    }

    /**
     * The findings of {@code host} (null: every host) matching the query, oldest first; the subject glob is
     * SQLite's GLOB ({@code *}, {@code ?}, {@code [...]}), matched here so that it means the same on PostgreSQL.
     */
    public List<Finding> findings(String host, EventLog.Query q) {
        StringBuilder sql = new StringBuilder("SELECT finding, subject FROM findings WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (host != null) {
            sql.append(" AND host = ?");
            args.add(host);
        }
        if (q.since() != null) {
            sql.append(" AND found_at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND found_at < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.source() != null) {
            sql.append(" AND source = ?");
            args.add(q.source().text());
        }
        if (q.kinds() != null && !q.kinds().isEmpty()) {
            sql.append(" AND kind IN (").append(String.join(",", q.kinds().stream().map(k -> "?").toList())).append(")");
            args.addAll(q.kinds());
        }
        sql.append(" ORDER BY found_at, id");
        Pattern subject = q.subjectGlob() == null ? null : glob(q.subjectGlob());
        List<Finding> found = new ArrayList<>();
        try (Connection c = store.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (subject == null || subject.matcher(rs.getString(2)).matches()) {
                        found.add(Json.read(rs.getString(1), Finding.class));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the findings of the fleet store: " + e.getMessage(), e);
        }
        return found;
    }

    /** SQLite's GLOB as a regular expression: {@code *} any text, {@code ?} one character, {@code [...]} a set. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close = c == '[' ? glob.indexOf(']', i + 2) : -1;
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (close > 0) {
                String set = glob.substring(i + 1, close);
                boolean negated = set.startsWith("^");
                String members = (negated ? set.substring(1) : set).replace("\\", "\\\\").replace("[", "\\[")
                        .replace("]", "\\]").replace("&", "\\&");
                regex.append('[').append(negated ? "^" : "").append(members).append(']');
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
