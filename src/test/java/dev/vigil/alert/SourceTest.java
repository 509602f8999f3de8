package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A source is written and read as its lowercase word, as findings stored before the enum have it. */
class SourceTest {

    @Test
    void findingJsonNamesItsSourceInLowercaseAndReadsItBack() {
        Finding f = new Finding(Source.PIDS, "DIED", "/run/sshd.pid", "h", Samples.T0, Severity.WARNING, Map.of());

        String json = Json.write(f);

        assertEquals("pids", Json.read(json, Map.class).get("source"));
        assertEquals(f, Json.read(json, Finding.class));
    }

    @Test
    void anUnknownSourceIsRefusedNamingTheSourcesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Source.of("file"));
        assertEquals("'file' is not a source: files, logs, pids, test, fleet", e.getMessage());
    }
}
