package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveRulesTest {

    /** The one acceptable fake: a clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-22T01:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path root;

    private Section classify(LiveRules rules, String line) {
        return rules.classifier().classify(List.of(line)).get(0).section();
    }

    @Test
    void droppedInRuleFileChangesTheNextClassificationOnceTheFreshnessPeriodPassed() throws IOException {
        Files.createDirectories(root.resolve("ignore.d.server"));
        TestClock clock = new TestClock();
        LiveRules rules = new LiveRules(List.of(new RuleTree.Source(root, Level.SERVER)), false,
                Duration.ofSeconds(60), clock);
        String line = "Nov 22 01:00:00 web1 myapp[1]: routine";
        assertEquals(Section.SYSTEM, classify(rules, line));

        Files.writeString(root.resolve("ignore.d.server/myapp"), "myapp\\[[0-9]+\\]: routine$\n");
        clock.now = clock.now.plusSeconds(30);
        assertEquals(Section.SYSTEM, classify(rules, line), "not looked at before the period passed");
        clock.now = clock.now.plusSeconds(30);
        assertEquals(Section.IGNORED, classify(rules, line));

        Files.delete(root.resolve("ignore.d.server/myapp"));
        clock.now = clock.now.plusSeconds(60);
        assertEquals(Section.SYSTEM, classify(rules, line));
    }

    @Test
    void badNewFileLeavesEveryValidRuleWorking() throws IOException {
        Files.createDirectories(root.resolve("ignore.d.server"));
        Files.writeString(root.resolve("ignore.d.server/old"), "old rule$\n");
        TestClock clock = new TestClock();
        LiveRules rules = new LiveRules(List.of(new RuleTree.Source(root, Level.SERVER)), false,
                Duration.ofSeconds(60), clock);
        Files.writeString(root.resolve("ignore.d.server/new"), "new (rule$\nnew valid$\n");
        clock.now = clock.now.plusSeconds(60);
        assertEquals(Section.IGNORED, classify(rules, "an old rule"));
        assertEquals(Section.IGNORED, classify(rules, "a new valid"));
        assertEquals(1, rules.problems().size());
        assertTrue(rules.problems().get(0).contains("ignore.d.server/new:1"), rules.problems().get(0));
    }
}
