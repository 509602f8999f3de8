package dev.vigil.os;

import dev.vigil.pid.RealProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UserNamesTest {

    @TempDir
    Path dir;

    @Test
    void userNamesComeFromThePasswdFileAndUnknownUidsStayNumbers() throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\nbroken line\nsvc:x:998:998::/:/usr/sbin/nologin\n");
        UserNames users = new UserNames(passwd);

        assertEquals("root", users.nameOrNumber(0));
        assertEquals("svc", users.nameOrNumber(998));
        assertEquals("4711", users.nameOrNumber(4711));
        assertNull(users.name(4711));
    }

    @Test
    void aUserAddedToTheFileIsNamedOnceTheFileChanged() throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\n");
        UserNames users = new UserNames(passwd);
        assertNull(users.name(1001));

        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/sh\n");
        Files.setLastModifiedTime(passwd, FileTime.from(Instant.now().plusSeconds(60)));

        RealProcesses.await(() -> "alice".equals(users.name(1001)), "the new user to be named");
    }

    @Test
    void theSystemNamesRootAsLsDoes() {
        assertEquals("root", UserNames.SYSTEM.nameOrNumber(0));
    }
}
