package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.store.Database;
import dev.vigil.store.RuleStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-rule hit counts from the matcher, kept in a real SQLite file. */
class RuleStatsTest {

    @TempDir
    Path dir;

    @Test
    void rulesThatMatchedNothingInThePeriodAreUnused() throws IOException {
        Path root = dir.resolve("local");
        Files.createDirectories(root.resolve("ignore.d.server"));
        Files.writeString(root.resolve("ignore.d.server/app"), "app: started$\napp: stopped$\napp: never$\n");
        RuleTree tree = RuleTree.load(root, Level.SERVER);
        RuleMatcher matcher = new RuleMatcher(tree);
        RuleStats stats = new RuleStats(Database.open(dir.resolve("vigil.db")));
        Instant longAgo = Instant.parse("2026-01-01T00:00:00Z");
        Instant recently = Instant.parse("2026-11-20T00:00:00Z");

        matcher.match("x app: stopped");
        stats.add(matcher.drainHits(), longAgo);
        matcher.match("x app: started");
        matcher.match("x app: started");
        Map<Rule, Long> hits = matcher.drainHits();
        assertEquals(Map.of(tree.files(Category.IGNORE).get("app").get(0), 2L), hits);
        stats.add(hits, recently);

        List<String> unused = stats.unused(matcher.rules(), Instant.parse("2026-11-01T00:00:00Z")).stream()
                .map(Rule::pattern).toList();
        assertEquals(List.of("app: stopped$", "app: never$"), unused);
        assertEquals(Map.of(), matcher.drainHits());
    }
}
