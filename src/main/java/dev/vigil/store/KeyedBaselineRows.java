package dev.vigil.store;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.QuickKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The baseline rows at or below a root in path order, on the caller's thread, each row's path and quick key read
 * and its other columns only when the row is asked for whole: an unchanged entry costs a quick check three calls
 * into sqlite-jdbc (step, path, key) instead of sixteen. A row without a key is compared whole. The listing digests
 * at or below the root are read alongside, in key order; passing over the rows of a directory whose listing is as
 * kept starts the read again after them, a seek in the table's B-tree.
 *
 * <p>Each seek is a read of its own, which may see a baseline written since the read before it: no read transaction
 * is held across the check, since one held while the check's findings were recorded kept SQLite from resetting its
 * write-ahead log, and a disk that filled stayed full once space came back (FullDiskTest). That is as harmless as a
 * baseline written during any check: a directory's listing is written with its rows in one transaction, so a
 * directory passed over is as some baseline Vigil wrote has it, and rows read after a write are that write's.
 */
final class KeyedBaselineRows implements BaselineStore.Rows {

    private static final String SELECT = "SELECT " + BaselineRows.NAMES + " FROM baseline WHERE ";

    private final Database db;
    private final Connection c;
    private final PathRange range;
    private final PreparedStatement ps;
    /** The read from a row on, prepared at the first seek. */
    private PreparedStatement after;
    private ResultSet rs;
    private final PreparedStatement listingsStatement;
    private final ResultSet listings;
    /** The listing the listings' cursor is on; null after the last. */
    private byte[] listingKey;
    private byte[] listingDigest;
    private byte[] path;
    private byte[] key;
    private FileRecord record;

    KeyedBaselineRows(Database db, byte[] root) {
        this.db = db;
        range = new PathRange(root);
        c = db.connectFor("cannot read the baseline");
        try {
            ps = c.prepareStatement(SELECT + PathRange.ORDERED_CONDITION + " ORDER BY path");
            Database.bind(ps, range.orderedArgs());
            rs = ps.executeQuery();
            listingsStatement = c.prepareStatement("SELECT key, digest FROM " + BaselineListings.TABLE + " WHERE "
                    + PathRange.LISTING_CONDITION + " ORDER BY key");
            Database.bind(listingsStatement, range.listingArgs());
            listings = listingsStatement.executeQuery();
            nextListing();
        } catch (SQLException e) {
            throw Database.closed(c, Database.failure("cannot read the baseline", e));
        }
    }

    @Override
    public boolean advance() {
        record = null;
        try {
            if (!rs.next()) {
                path = null;
                key = null;
                return false;
            }
            path = rs.getBytes(1);
            key = BaselineRows.quickKey(rs);
            return true;
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline", e);
        }
    }

    @Override
    public byte[] path() {
        return path;
    }

    @Override
    public boolean matches(FileRecord current) {
        return QuickKey.matches(key, current);
    }

    @Override
    public FileRecord record() {
        if (record == null) {
            try {
                record = BaselineRows.read(rs);
            } catch (SQLException e) {
                throw Database.failure("cannot read the baseline", e);
            }
        }
        return record;
    }

    @Override
    public boolean skipThrough(byte[] last) {
        if (Arrays.compareUnsigned(path, last) > 0) {
            return true;
        }
        try {
            if (after == null) {
                after = c.prepareStatement(SELECT + PathRange.CONDITION_AFTER + " ORDER BY path");
            }
            Database.bind(after, range.argsAfter(last));
            rs.close();
            rs = after.executeQuery();
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline", e);
        }
        return advance();
    }

    @Override
    public byte[] listing(byte[] wanted) {
        try {
            while (listingKey != null && Arrays.compareUnsigned(listingKey, wanted) < 0) {
                nextListing();
            }
        } catch (SQLException e) {
            throw Database.failure("cannot read the baseline's listing digests", e);
        }
        return listingKey != null && Arrays.equals(listingKey, wanted) ? listingDigest : null;
    }

    private void nextListing() throws SQLException {
        if (listings.next()) {
            listingKey = listings.getBytes(1);
            listingDigest = listings.getBytes(2);
        } else {
            listingKey = null;
            listingDigest = null;
        }
    }

    @Override
    public void close() {
        try {
            rs.close();
            ps.close();
            if (after != null) {
                after.close();
            }
            listings.close();
            listingsStatement.close();
            c.close();
        } catch (SQLException e) {
            throw Database.failure("cannot close " + db.file(), e);
        }
    }
}
