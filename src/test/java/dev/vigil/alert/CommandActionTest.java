package dev.vigil.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandActionTest {

    @TempDir
    Path dir;

    @Test
    void theCommandSeesTheFindingInItsEnvironment() throws Exception {
        Path script = dir.resolve("on-change.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$VIGIL_KIND $VIGIL_SUBJECT $VIGIL_BEFORE_HASH $VIGIL_AFTER_HASH\" > \"$(dirname \"$0\")/out\"\n");
        script.toFile().setExecutable(true);
        Finding f = new Finding(Source.FILES, "MODIFIED", "/etc/hosts", "h", Instant.now(), Severity.WARNING,
                Map.of("before", Map.of("hash", "aa"), "after", Map.of("hash", "bb")));
        assertEquals(0, new CommandAction().run(f, script.toString(), 10));
        assertEquals("MODIFIED /etc/hosts aa bb\n", Files.readString(dir.resolve("out")));
    }

    @Test
    void aCommandThatHangsIsKilledAfterTheTimeout() throws Exception {
        Finding f = new Finding(Source.FILES, "ADDED", "/x", "h", Instant.now(), Severity.WARNING, Map.of());
        assertEquals(-1, new CommandAction().run(f, "sleep 30", 1));
    }
}
