package dev.vigil.store;

import dev.vigil.logcheck.Category;
import dev.vigil.logcheck.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RuleStatsStoreTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-10-01T00:00:00Z"));

    @Test
    void aRuleIsUnusedWhenKnownForTheWholePeriodWithoutAMatchInIt() {
        RuleStatsStore stats = new RuleStatsStore(Database.open(dir.resolve("vigil.db")), now::get);
        Path file = dir.resolve("local/ignore.d.server/app");
        Rule matchedLately = new Rule(Category.IGNORE, "app", file, 1, "lately");
        Rule matchedLongAgo = new Rule(Category.IGNORE, "app", file, 2, "long ago");
        Rule never = new Rule(Category.IGNORE, "app", file, 3, "never");
        stats.seen(List.of(matchedLately, matchedLongAgo, never));
        stats.record(Map.of(matchedLongAgo, 3));
        now.set(now.get().plus(Duration.ofDays(40)));
        Rule addedYesterday = new Rule(Category.IGNORE, "app", file, 4, "new");
        stats.seen(List.of(matchedLately, matchedLongAgo, never, addedYesterday));
        stats.record(Map.of(matchedLately, 1));
        stats.record(Map.of(matchedLately, 2));
        now.set(now.get().plus(Duration.ofDays(1)));

        List<RuleStatsStore.Row> unused = stats.unusedSince(now.get().minus(Duration.ofDays(30)));

        assertEquals(List.of("long ago 3", "never 0"), unused.stream().map(r -> r.pattern() + " " + r.matches()).toList());
        assertEquals(Instant.parse("2026-10-01T00:00:00Z"), unused.get(0).lastMatch());
        assertEquals(null, unused.get(1).lastMatch());
    }
}
