package dev.vigil.pid;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidOptionsTest {

    @Test
    void propertiesMapOntoOptions() {
        PidOptions o = PidOptions.fromProperties(Map.of(
                "vigil.pids.files", "/run, /srv/app.pid ,",
                "vigil.pids.interval", "2m",
                "vigil.pids.require", "sshd,cron",
                "vigil.pids.expect.sshd.exe", "/usr/sbin/sshd",
                "vigil.pids.container.web.root", "/var/lib/machines/web",
                "vigil.files.areas", "/etc"));

        assertEquals(List.of("/run", "/srv/app.pid"), o.files());
        assertEquals(Duration.ofMinutes(2), o.interval());
        assertEquals(List.of("sshd", "cron"), o.require());
        assertEquals("/usr/sbin/sshd", o.expectedExeFor(Path.of("/run/sshd.pid")));
        assertNull(o.expectedExeFor(Path.of("/run/cron.pid")));
        assertEquals("web", o.containerOf(Path.of("/var/lib/machines/web/run/nginx.pid")).getKey());
        assertNull(o.containerOf(Path.of("/run/nginx.pid")));
    }

    @Test
    void defaultsApplyWhenPropertiesAreAbsent() {
        PidOptions o = PidOptions.fromProperties(Map.of());

        assertEquals(PidOptions.DEFAULT_NAME, o.name());
        assertEquals(Duration.ofSeconds(30), o.interval());
        assertEquals(List.of(), o.files());
    }

    @Test
    void unknownKeyAndBadDurationAreRejectedNamingTheKey() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PidOptions.fromProperties(Map.of("vigil.pids.expect.sshd.path", "/x")));
        assertTrue(unknown.getMessage().contains("vigil.pids.expect.sshd.path"));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PidOptions.fromProperties(Map.of("vigil.pids.interval", "soon")));
        assertTrue(bad.getMessage().contains("vigil.pids.interval"));
    }

    @Test
    void durationsTakeTheUsualUnits() {
        assertEquals(Duration.ofMillis(500), PidOptions.duration("k", "500ms"));
        assertEquals(Duration.ofSeconds(45), PidOptions.duration("k", "45"));
        assertEquals(Duration.ofSeconds(45), PidOptions.duration("k", "45s"));
        assertEquals(Duration.ofHours(1), PidOptions.duration("k", "1h"));
    }

    @Test
    void deepestContainerRootWins() {
        PidOptions o = new PidOptions(null, List.of(), null, null, null,
                Map.of("outer", Path.of("/srv/ct"), "inner", Path.of("/srv/ct/nested")));

        assertEquals("inner", o.containerOf(Path.of("/srv/ct/nested/run/a.pid")).getKey());
        assertEquals("outer", o.containerOf(Path.of("/srv/ct/run/a.pid")).getKey());
    }
}
