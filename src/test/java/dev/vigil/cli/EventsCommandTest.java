package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.Json;
import dev.vigil.store.Database;
import dev.vigil.store.FileEventHistory;
import dev.vigil.watch.EventType;
import dev.vigil.watch.FileEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil events} over the raw file events of the watch, as the daemon leaves them in a real SQLite file:
 * the user and PID filters and the text and JSON renderings.
 */
class EventsCommandTest {

    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void history() {
        db = dir.resolve("vigil.db");
        Path area = dir.resolve("area");
        new FileEventHistory(Database.open(db)).append(List.of(
                new FileEvent(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), area.resolve("made"), null, false,
                        Instant.parse("2026-11-22T01:00:00Z"), 4242, 1, "touch", "/usr/bin/touch", 0, "root", true, null),
                new FileEvent(Set.of(EventType.DELETE), area.resolve("gone"), null, false,
                        Instant.parse("2026-11-22T01:00:01Z"), 5151, 4000, "rm", "/usr/bin/rm", 1000, "alice", true, null),
                new FileEvent(Set.of(EventType.MOVED), area.resolve("new name"), area.resolve("old"), false,
                        Instant.parse("2026-11-22T01:00:02Z"), 4242, 1, "touch", "/usr/bin/touch", 0, "root", true, null),
                new FileEvent(Set.of(EventType.ATTRIB), area.resolve("chmodded"), null, false,
                        Instant.parse("2026-11-22T01:00:03Z"), -1, -1, null, null, -1, null, false, null),
                FileEvent.overflow(null, Instant.parse("2026-11-22T01:00:04Z"), "watcher queue full")));
    }

    private String events(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 3];
            all[0] = "events";
            all[1] = "--db";
            all[2] = db.toString();
            System.arraycopy(args, 0, all, 3, args.length);
            assertEquals(0, VigilCommand.commandLine().execute(all));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void userSelectsTheEventsOfThatUserByNameOrUidInTextWithPidCommandUserAndPath() {
        String alice = "2026-11-22T01:00:01Z  DELETE                    5151 rm              alice      "
                + dir.resolve("area/gone") + "\n";
        assertEquals(alice, events("--user", "alice"));
        assertEquals(alice, events("--user", "1000", "--format", "text"));
        assertEquals("2026-11-22T01:00:00Z  CREATE,CLOSE_WRITE        4242 touch           root       "
                        + dir.resolve("area/made") + "\n"
                        + "2026-11-22T01:00:02Z  MOVED                     4242 touch           root       "
                        + dir.resolve("area/new name") + " (from " + dir.resolve("area/old") + ")\n",
                events("--user", "root"));
        assertEquals("", events("--user", "nobody"));
    }

    @Test
    void pidSelectsTheEventsOfThatProcessAsOneJsonObjectPerLine() throws Exception {
        List<String> lines = events("--pid", "4242", "--format", "json").lines().toList();
        assertEquals(2, lines.size(), String.join("\n", lines));
        JsonNode made = Json.mapper().readTree(lines.get(0));
        assertEquals("2026-11-22T01:00:00Z", made.get("time").asText());
        assertEquals(List.of("CREATE", "CLOSE_WRITE"), List.of(made.get("types").get(0).asText(), made.get("types").get(1).asText()));
        assertEquals(2, made.get("types").size());
        assertEquals(dir.resolve("area/made").toString(), made.get("path").asText());
        assertEquals(false, made.has("oldPath"));
        assertEquals(false, made.get("directory").asBoolean());
        assertEquals(true, made.get("attributed").asBoolean());
        assertEquals(4242, made.get("pid").asInt());
        assertEquals(1, made.get("ppid").asInt());
        assertEquals("touch", made.get("comm").asText());
        assertEquals("/usr/bin/touch", made.get("exe").asText());
        assertEquals(0, made.get("uid").asInt());
        assertEquals("root", made.get("user").asText());
        JsonNode moved = Json.mapper().readTree(lines.get(1));
        assertEquals(dir.resolve("area/new name").toString(), moved.get("path").asText());
        assertEquals(dir.resolve("area/old").toString(), moved.get("oldPath").asText());
        assertEquals("", events("--pid", "1"), "the parent is not the process behind the event");
    }

    @Test
    void unattributedEventsAndOverflowsShowWhatIsUnknownInTextAndLeaveItOutOfJson() throws Exception {
        assertEquals("2026-11-22T01:00:03Z  ATTRIB                       - -               -          "
                        + dir.resolve("area/chmodded") + "\n"
                        + "2026-11-22T01:00:04Z  OVERFLOW                     - -               -          (all areas)\n",
                events("--type", "ATTRIB,OVERFLOW"));
        List<String> lines = events("--type", "ATTRIB,OVERFLOW", "--format", "json").lines().toList();
        JsonNode chmodded = Json.mapper().readTree(lines.get(0));
        assertEquals(false, chmodded.get("attributed").asBoolean());
        assertEquals(List.of(), List.of("pid", "ppid", "comm", "exe", "uid", "user", "detail").stream()
                .filter(chmodded::has).toList());
        JsonNode overflow = Json.mapper().readTree(lines.get(1));
        assertEquals(true, overflow.get("path").isNull());
        assertEquals("watcher queue full", overflow.get("detail").asText());
        assertEquals("", events("--user", "-1"), "an unknown uid is stored as unknown, not as -1");
    }
}
