package dev.vigil.fim;

import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** statx through libc gives what the JDK's {@code unix:} attribute view gives, for every kind of entry. */
class StatxTest {

    @TempDir
    Path dir;

    private static void assertSameAsJdk(Path p) throws Exception {
        Map<String, Object> jdk = Files.readAttributes(p, "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        Statx st = Statx.of(PathBytes.of(p));
        String what = p.toString();
        assertEquals(jdk.get("mode"), st.mode(), what);
        assertEquals(jdk.get("ino"), st.inode(), what);
        assertEquals(jdk.get("dev"), st.device(), what + ": the device as glibc encodes st_dev");
        assertEquals(((Integer) jdk.get("nlink")).longValue(), st.links(), what);
        assertEquals(jdk.get("uid"), st.uid(), what);
        assertEquals(jdk.get("gid"), st.gid(), what);
        assertEquals(jdk.get("size"), st.size(), what);
        assertEquals(((FileTime) jdk.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), st.mtimeNs(), what);
        assertEquals(((FileTime) jdk.get("ctime")).to(TimeUnit.NANOSECONDS), st.ctimeNs(), what);
    }

    @Test
    void everyKindOfEntryMatchesTheJdk() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "content");
        Files.setLastModifiedTime(file, FileTime.from(java.time.Instant.parse("1969-07-20T20:17:40.123456789Z")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("missing-target"));
        Files.createLink(dir.resolve("hard"), file);
        Path fifo = dir.resolve("fifo");
        Tools.sh("mkfifo", fifo.toString());
        for (Path p : List.of(dir, file, link, fifo, Path.of("/dev/null"), Path.of("/"), Path.of("/proc/self"))) {
            assertSameAsJdk(p);
        }
    }

    @Test
    void aMissingEntryIsNoSuchFileAndOtherFailuresSayWhy() {
        assertThrows(NoSuchFileException.class, () -> Statx.of(PathBytes.of(dir.resolve("gone"))));
        byte[] tooLong = PathBytes.child(PathBytes.of(dir), "x".repeat(300).getBytes());
        com.sun.jna.LastErrorException e = assertThrows(com.sun.jna.LastErrorException.class, () -> Statx.of(tooLong));
        assertEquals("File name too long", Libc.reason(e.getErrorCode()));
    }

    @Test
    void aPathLongerThanTheThreadsNameBufferAndAShortOneAfterItAreEachTheirOwn() throws Exception {
        Path deep = dir;
        for (int i = 0; i < 6; i++) {
            deep = Files.createDirectory(deep.resolve(Character.toString('a' + i).repeat(120)));
        }
        Path file = Files.writeString(deep.resolve("file"), "deep");
        org.junit.jupiter.api.Assertions.assertTrue(PathBytes.of(file).length > 700, "longer than the 512-byte buffer");

        assertSameAsJdk(file);
        assertSameAsJdk(dir);
        assertSameAsJdk(file);
    }
}
