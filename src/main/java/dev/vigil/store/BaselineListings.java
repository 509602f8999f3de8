package dev.vigil.store;

import dev.vigil.fim.ListingDigest;
import dev.vigil.fim.Seal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The listing digests kept with the baseline (table {@code baseline_listing}, {@link ListingDigest}), in the
 * transactions that write its rows: a write at or below a root replaces the listings there and drops the one of
 * the directory the root is in (an entry of it changed), and the seal takes out and puts in what was replaced as it
 * does rows ({@link Seal#addListing}).
 */
final class BaselineListings {

    static final String TABLE = "main.baseline_listing";

    private BaselineListings() {
    }

    /** The statement creating table {@code name} as {@code baseline_listing} is (a staging table's listings). */
    static String createTable(String name) {
        return "CREATE TABLE " + name + " (key BLOB PRIMARY KEY, digest BLOB NOT NULL) WITHOUT ROWID";
    }

    /**
     * Deletes the kept listings at or below {@code root} and the one of the directory it is in; returns their seal
     * (the listings' alone), for the caller's transaction to take out of the baseline's.
     */
    static Seal remove(Connection c, byte[] root) throws SQLException {
        String where = " WHERE " + PathRange.LISTING_CONDITION + " OR key = ?";
        Object[] args = args(root);
        Seal removed = seal(c, "SELECT key, digest FROM " + TABLE + where, args);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + where)) {
            Database.bind(ps, args);
            ps.executeUpdate();
        }
        return removed;
    }

    /**
     * Copies the listings of table {@code staged} at or below {@code root} into the kept ones (those above it hold
     * only the part of their directory that was staged); returns their seal.
     */
    static Seal copy(Connection c, String staged, byte[] root) throws SQLException {
        String where = " WHERE " + PathRange.LISTING_CONDITION;
        Object[] args = new PathRange(root).listingArgs();
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + TABLE + "(key, digest) SELECT key, digest FROM "
                + staged + where)) {
            Database.bind(ps, args);
            ps.executeUpdate();
        }
        return seal(c, "SELECT key, digest FROM " + staged + where, args);
    }

    /** The seal of every kept listing (none of them a row). */
    static Seal all(Connection c) throws SQLException {
        return seal(c, "SELECT key, digest FROM " + TABLE);
    }

    private static Object[] args(byte[] root) {
        Object[] range = new PathRange(root).listingArgs();
        return new Object[]{range[0], range[1], ListingDigest.parentKey(root)};
    }

    private static Seal seal(Connection c, String sql, Object... args) throws SQLException {
        return BaselineSeal.of(c, (seal, rs) -> seal.addListing(rs.getBytes(1), rs.getBytes(2)), sql, args);
    }
}
