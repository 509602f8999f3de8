package dev.vigil.cli;

import dev.vigil.logcheck.Category;
import dev.vigil.logcheck.Rule;
import dev.vigil.store.Database;
import dev.vigil.store.RuleStatsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnusedRulesTest {

    @TempDir
    Path dir;

    @Test
    void listsRulesStillInTheirFilesAtTheirCurrentLineThatMatchedNothingInTheTime() throws IOException {
        Instant loaded = Instant.parse("2026-09-01T00:00:00Z");
        Instant now = loaded.plus(Duration.ofDays(60));
        Path file = Files.createDirectories(dir.resolve("local/ignore.d.server")).resolve("app");
        Files.writeString(file, "used\nnever\nremoved\n");
        Database db = Database.open(dir.resolve("vigil.db"));
        Rule used = new Rule(Category.IGNORE, "app", file, 1, "used");
        Rule never = new Rule(Category.IGNORE, "app", file, 2, "never");
        Rule removed = new Rule(Category.IGNORE, "app", file, 3, "removed");
        new RuleStatsStore(db, () -> loaded).seen(List.of(used, never, removed));
        new RuleStatsStore(db, () -> now.minus(Duration.ofDays(2))).record(Map.of(used, 5));
        Files.writeString(file, "# a comment moves the rules down\nused\nnever\n");

        StringWriter text = new StringWriter();
        UnusedRules.print(db, 30, now, new PrintWriter(text, true));

        assertEquals(file + ":3\t0\tnever\tnever\n", text.toString());
    }
}
