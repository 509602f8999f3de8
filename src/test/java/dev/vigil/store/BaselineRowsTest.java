package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The baseline table the migrations make and the row {@link BaselineRows} binds and reads are one and the same. */
class BaselineRowsTest {

    @TempDir
    Path dir;

    @Test
    void theMigratedBaselineTableHasExactlyTheColumnsOfTheRow() throws Exception {
        Database db = Database.open(dir.resolve("vigil.db"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(BaselineRows.createTable("temp.declared"));

            assertEquals(columns(c, "temp", "declared"), columns(c, "main", "baseline"));
            assertEquals(String.join(", ", columns(c, "main", "baseline").stream().map(col -> col.split(" ")[0]).toList()),
                    BaselineRows.NAMES, "the names in the table's order, which bind and read follow");
        }
    }

    /** Each column as "name type notnull pk", in the table's order. */
    private static List<String> columns(Connection c, String schema, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + schema + ".table_info(" + table + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name") + " " + rs.getString("type") + " " + rs.getInt("notnull") + " " + rs.getInt("pk"));
            }
        }
        return out;
    }
}
