package dev.vigil.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the kernel's mount table and telling which mounts change what an area shows. */
class MountWatchTest {

    @Test
    void mountinfoLinesAreReadWithTheirOptionalFieldsAndEscapedSpaces() {
        String text = "26 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
                + "44 26 254:0 /srv/forged\\040copy /etc/my\\040conf rw,relatime shared:1 master:2 - ext4 /dev/vda rw\n"
                + "45 26 0:39 / /etc/ssl rw - tmpfs tmp\\134fs rw\n";

        Map<Integer, MountWatch.Mount> mounts = MountWatch.parse(text.getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(26, 44, 45), List.copyOf(mounts.keySet()));
        assertEquals(new MountWatch.Mount(44, Path.of("/etc/my conf"), "/srv/forged copy", "ext4", "/dev/vda"),
                mounts.get(44));
        assertEquals("type tmpfs, source tmp\\fs, root /", mounts.get(45).describe());
    }

    @Test
    void aMountAtOrBelowAnAreaOrOverAnAncestorOfItChangesWhatTheAreaShows() {
        Path area = Path.of("/srv/app/etc");

        assertTrue(MountWatch.affects(Path.of("/srv/app/etc"), area));
        assertTrue(MountWatch.affects(Path.of("/srv/app/etc/ssl"), area));
        assertTrue(MountWatch.affects(Path.of("/srv"), area), "a mount over an ancestor hides the whole area");
        assertFalse(MountWatch.affects(Path.of("/srv/app/etcetera"), area));
        assertFalse(MountWatch.affects(Path.of("/var/lib/docker/overlay"), area));
    }
}
