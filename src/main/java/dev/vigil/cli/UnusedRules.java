package dev.vigil.cli;

import dev.vigil.logcheck.LogLines;
import dev.vigil.store.Database;
import dev.vigil.store.RuleStatsStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil logcheck --unused DAYS} (integrityd's unused-rule report): the rules of local trees that the
 * daemon has had loaded for at least DAYS days and that matched no line in that time, one per line:
 * {@code FILE:LINE<TAB>MATCHES<TAB>LAST-MATCH<TAB>PATTERN}, where MATCHES counts all time and LAST-MATCH is a
 * date or {@code never}. A rule is listed only while its file still has it, at the line it is on now.
 */
final class UnusedRules {

    private UnusedRules() {
    }

    static int print(Database db, int days, Instant now, PrintWriter out) throws IOException {
        List<RuleStatsStore.Row> rows = new RuleStatsStore(db, InstantSource.fixed(now))
                .unusedSince(now.minus(Duration.ofDays(days)));
        Map<String, List<String>> files = new HashMap<>();
        for (RuleStatsStore.Row row : rows) {
            List<String> lines = files.get(row.file());
            if (lines == null) {
                Path f = Path.of(row.file());
                lines = Files.isReadable(f) ? LogLines.read(f) : List.of();
                files.put(row.file(), lines);
            }
            int line = lines.indexOf(row.pattern());
            if (line >= 0) {
                out.println(row.file() + ":" + (line + 1) + "\t" + row.matches() + "\t"
                        + (row.lastMatch() == null ? "never" : row.lastMatch().toString()) + "\t" + row.pattern());
            }
        }
        return 0;
    }
}
