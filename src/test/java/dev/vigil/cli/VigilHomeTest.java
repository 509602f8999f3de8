package dev.vigil.cli;

import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.fim.Tools;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults that depend on the machine, decided where the config is read. */
class VigilHomeTest {

    @TempDir
    Path dir;

    private Path config(String areasLine) throws Exception {
        return Files.writeString(dir.resolve("vigil.properties"), "vigil.database=v.db\n" + areasLine + "\n");
    }

    @Test
    void emptyAreasAreTheSystemAreasForRoot() throws Exception {
        List<String> areas = VigilHome.load(config("vigil.files.areas="), 0).list(VigilHome.AREAS);
        assertTrue(areas.containsAll(List.of("/etc", "/usr/bin", "/usr/sbin", "/usr/lib")), areas.toString());
        assertFalse(areas.contains("/usr/share"), "documentation and data are left out: " + areas);
        for (String a : areas) {
            assertTrue(Files.isDirectory(Path.of(a), LinkOption.NOFOLLOW_LINKS), a + " is a directory, not a link into /usr");
        }
    }

    @Test
    void emptyOrMissingAreasAreTheReadableSetForAnOrdinaryUser() throws Exception {
        assertEquals(List.of("/usr/bin", "/usr/sbin", "/etc"), VigilHome.load(config("vigil.files.areas="), 1000).list(VigilHome.AREAS));
        assertEquals(List.of("/usr/bin", "/usr/sbin", "/etc"), VigilHome.load(config(""), 1000).list(VigilHome.AREAS));
    }

    @Test
    void namedAreasWinForEveryUser() throws Exception {
        Path config = config("vigil.files.areas=/srv/www, /opt/app");
        assertEquals(List.of("/srv/www", "/opt/app"), VigilHome.load(config, 0).list(VigilHome.AREAS));
        assertEquals(List.of("/srv/www", "/opt/app"), VigilHome.load(config, 1000).list(VigilHome.AREAS));
    }

    @Test
    void theDaemonAndTheOneShotCommandsGetTheSameDefault() throws Exception {
        Assumptions.assumeTrue(Tools.root(), "the root default is what CI (root) checks here");
        Path config = config("vigil.files.areas=");
        VigilHome home = VigilHome.load(config);
        Main main = RunCommand.daemon(home, Files.createDirectory(dir.resolve("routes")), new DaemonConfiguration());
        String expected = String.join(",", VigilHome.defaultAreas(0));
        assertEquals(expected, main.getOverrideProperties().getProperty(VigilHome.AREAS));
        assertEquals(VigilHome.defaultAreas(0).stream().map(Path::of).toList(), ScanSettings.areas(home, List.of()));
    }
}
