package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.QuickKey;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@link FileRecord} as a row of table {@code baseline}: the columns, each with its declaration, and the record
 * bound to a statement or read from a result in their order. The migrations declare the same columns (a test
 * compares them); the staging table of a scan is made from this list.
 */
final class BaselineRows {

    private record Column(String name, String declaration) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("path", "BLOB PRIMARY KEY"),
            new Column("type", "TEXT NOT NULL"),
            new Column("size", "INTEGER"),
            new Column("mode", "INTEGER"),
            new Column("uid", "INTEGER"),
            new Column("gid", "INTEGER"),
            new Column("inode", "INTEGER"),
            new Column("device", "INTEGER"),
            new Column("links", "INTEGER"),
            new Column("mtime_ns", "INTEGER"),
            new Column("ctime_ns", "INTEGER"),
            new Column("target", "BLOB"),
            new Column("hash", "TEXT"),
            new Column("xattrs", "TEXT"),
            new Column("error", "TEXT"),
            // QuickKey.of the row; null in rows written before it was kept, which a quick check compares whole
            new Column("quick_key", "BLOB"));

    /** The column names, comma-separated, in the order {@link #bind} and {@link #read} use. */
    static final String NAMES = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));
    /** A parameter for each column, for an INSERT of {@link #NAMES}. */
    static final String PARAMETERS = COLUMNS.stream().map(c -> "?").collect(Collectors.joining(","));

    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselineRows() {
    }

    /** The statement creating table {@code name} as the baseline is: keyed by path without a rowid, so it reads in path order sequentially. */
    static String createTable(String name) {
        return "CREATE TABLE " + name + " (" + COLUMNS.stream().map(c -> c.name() + " " + c.declaration())
                .collect(Collectors.joining(", ")) + ") WITHOUT ROWID";
    }

    /**
     * Binds {@code r}, with its {@code quickKey} ({@link QuickKey#of}, made by the caller, which needs it too), to
     * parameters 1 to 16 of {@code ps}, in the order of {@link #NAMES}.
     */
    static void bind(PreparedStatement ps, FileRecord r, byte[] quickKey) throws SQLException {
        ps.setBytes(1, r.path());
        ps.setString(2, r.type().name());
        ps.setLong(3, r.size());
        ps.setInt(4, r.mode());
        ps.setInt(5, r.uid());
        ps.setInt(6, r.gid());
        ps.setLong(7, r.inode());
        ps.setLong(8, r.device());
        ps.setLong(9, r.links());
        ps.setLong(10, r.mtimeNs());
        ps.setLong(11, r.ctimeNs());
        ps.setBytes(12, r.target());
        ps.setString(13, r.hash());
        try {
            ps.setString(14, r.xattrs().isEmpty() ? null : JSON.writeValueAsString(r.xattrs()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ps.setString(15, r.error());
        ps.setBytes(16, quickKey);
    }

    /** The quick key in the current row of {@code rs}, which selected {@link #NAMES}. */
    static byte[] quickKey(ResultSet rs) throws SQLException {
        return rs.getBytes(16);
    }

    /** The record in the current row of {@code rs}, which selected {@link #NAMES} (its quick key is not read). */
    static FileRecord read(ResultSet rs) throws SQLException {
        String xattrs = text(rs, 14);
        TreeMap<String, String> map = null;
        if (xattrs != null) {
            try {
                map = JSON.readValue(xattrs, new TypeReference<TreeMap<String, String>>() { });
            } catch (JsonProcessingException e) {
                throw new StoreException("corrupt xattrs column: " + e.getMessage(), e);
            }
        }
        return new FileRecord(rs.getBytes(1), EntryType.valueOf(text(rs, 2)), rs.getLong(3), rs.getInt(4),
                rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getBytes(12), text(rs, 13), map, text(rs, 15));
    }

    /**
     * Column {@code column} of the current row as text, or null. Decoded here from its bytes, as sqlite-jdbc's
     * {@code getString} decodes them (UTF-8), which first wraps them in a direct buffer made through JNI for each
     * value: about a seventh of the reader thread's CPU time in a quick check, which reads four text columns a row.
     */
    private static String text(ResultSet rs, int column) throws SQLException {
        byte[] utf8 = rs.getBytes(column);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }
}
