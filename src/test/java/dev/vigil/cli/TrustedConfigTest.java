package dev.vigil.cli;

import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.os.Proc;
import dev.vigil.os.UserNames;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** As root, the daemon refuses a configuration anyone but root can change; whether it runs as root is given. */
class TrustedConfigTest {

    @TempDir
    Path dir;

    private Path config;
    private Path routes;
    private Path rules;

    @BeforeEach
    void configuration() throws Exception {
        rules = Files.createDirectories(dir.resolve("rules/ignore.d.server"));
        Files.writeString(rules.resolve("local-cron"), "^cron\\[[0-9]+\\]: .*$\n");
        routes = Files.createDirectory(dir.resolve("routes"));
        Files.writeString(routes.resolve("extra.yaml"), "[]\n");
        config = Files.writeString(dir.resolve("vigil.properties"), "vigil.logs.rules=" + dir.resolve("rules") + "\n");
    }

    private List<String> check(boolean asRoot) {
        return TrustedConfig.check(VigilHome.load(config, 0), routes, asRoot);
    }

    @Test
    void aConfigurationOnlyRootCanChangeIsAccepted() {
        assertEquals(List.of(), check(true));
    }

    @Test
    void aGroupWritableConfigIsRefusedAsRootNamingTheFileAndTheFix() throws Exception {
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-r--"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(true));

        assertTrue(e.getMessage().contains(config + " is writable by its group (rw-rw-r--): chmod go-w " + config), e.getMessage());
        assertEquals(List.of(), check(false), "an ordinary user's daemon cannot be made root by its config");
    }

    @Test
    void aRuleFileEveryoneCanWriteAndARoutesDirectoryOfAnotherUserAreRefused() throws Exception {
        Path rule = rules.resolve("local-cron");
        Files.setPosixFilePermissions(rule, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setAttribute(routes, "unix:uid", 4242);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(true));

        assertTrue(e.getMessage().contains(rule + " is writable by every user (rw-rw-rw-): chmod go-w " + rule), e.getMessage());
        assertTrue(e.getMessage().contains(routes + " is owned by uid 4242, not root: chown root " + routes), e.getMessage());
    }

    @Test
    void debiansRuleTreeWhichItsLogcheckAccountOwnsIsAcceptedButNotOneOfAnotherAccount() throws Exception {
        Path debian = Path.of("/etc/logcheck");
        Assumptions.assumeTrue(Files.isDirectory(debian)
                        && "logcheck".equals(UserNames.SYSTEM.name((Integer) Files.getAttribute(debian, "unix:uid"))),
                "needs Debian's logcheck package as installed (.ci/run installs it): /etc/logcheck owned by logcheck");
        Files.writeString(config, "vigil.logs.rules=" + debian + "\n");
        assertEquals(List.of(), check(true));
        Path shaped = Files.createDirectories(dir.resolve("logcheck/local/ignore.d.server"));
        Files.setAttribute(dir.resolve("logcheck"), "unix:uid", Files.getAttribute(debian, "unix:uid"));
        Files.setPosixFilePermissions(dir.resolve("logcheck"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(config, "vigil.logs.rules=" + debian + "\nvigil.logs.local=" + shaped.getParent() + "\n");
        assertEquals(List.of(), check(true), "a local tree inside a tree shaped as Debian's");

        Files.writeString(config, "vigil.logs.rules=" + dir.resolve("rules") + "\n");
        Files.setAttribute(dir.resolve("rules"), "unix:uid", 4242);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(true));
        assertTrue(e.getMessage().contains(dir.resolve("rules") + " is owned by uid 4242, not root"), e.getMessage());
        Files.setAttribute(config, "unix:uid", Files.getAttribute(debian, "unix:uid"));
        e = assertThrows(IllegalStateException.class, () -> check(true));
        assertTrue(e.getMessage().contains(config + " is owned by uid "), "only a rule tree may be logcheck's: " + e.getMessage());
    }

    @Test
    void aConfigHoldingASecretEveryoneCanReadIsWarnedAbout() throws Exception {
        Files.writeString(config, "vigil.webhook.secret=s3cret-value\nvigil.email.password={{env:SMTP_PASSWORD}}\n");

        assertEquals(List.of(config + " holds secrets (vigil.webhook.secret) and every user can read it: chmod o-r " + config
                + ", or take them from the environment ({{env:NAME}})"), check(false));

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(List.of(), check(false));
    }

    @Test
    void theDaemonRunAsRootRefusesAGroupWritableConfig() throws Exception {
        Assumptions.assumeTrue(Proc.effectiveUid() == 0, "needs root: the check applies to root's daemon");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-r--"));

        Exception e = assertThrows(IllegalStateException.class, () -> RunCommand.daemon(VigilHome.load(config, 0),
                Path.of("routes").toAbsolutePath(), new DaemonConfiguration()));

        assertTrue(e.getMessage().contains("chmod go-w " + config), e.getMessage());
    }
}
