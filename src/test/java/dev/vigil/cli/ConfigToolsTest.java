package dev.vigil.cli;

import dev.vigil.config.Key;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vigil config check} and {@code vigil config init} on real files, as an administrator runs them. */
class ConfigToolsTest {

    private static final Path SHIPPED_ROUTES = Path.of("routes").toAbsolutePath();
    private static final Path SHIPPED_RULES = Path.of("logrules").toAbsolutePath();

    @TempDir
    Path dir;

    @RegisterExtension
    final InstallDirectory install = new InstallDirectory();

    private Path home;

    @BeforeEach
    void install() {
        home = install.home;
    }

    /** A copy of the shipped routes, with {@code name} added holding {@code yaml}. */
    private Path routesWith(String name, String yaml) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var shipped = Files.list(SHIPPED_ROUTES)) {
            for (Path p : shipped.toList()) {
                Files.copy(p, routes.resolve(p.getFileName()));
            }
        }
        if (name != null) {
            Files.writeString(routes.resolve(name), yaml);
        }
        return routes;
    }

    @Test
    void anUnknownKeyARouteWithAYamlErrorAndAnInvalidRulePatternAreEachNamedWithFileAndLine() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("local-rules/ignore.d.server"));
        Files.writeString(rules.resolve("local"), "^ok$\n# a comment\n^broken [class$\n");
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n"
                + "vigil.logs.local=" + dir.resolve("local-rules") + "\n"
                + "vigil.logs.levle=paranoid\n");
        Path routes = routesWith("extra.yaml", """
                - route:
                    id: extra
                    from:
                      uri: direct:extra
                      steps:
                        - log: "one"
                       - log: "misplaced"
                """);

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("vigil: " + config + ":3: unknown configuration key 'vigil.logs.levle'"), run.err());
        assertTrue(run.err().contains("vigil: " + routes.resolve("extra.yaml") + ":7:8: expected <block end>, but found"),
                run.err());
        assertTrue(run.err().contains("vigil: " + rules.resolve("local") + ":3: invalid pattern ("), run.err());
        assertTrue(run.err().contains("^broken [class$"), run.err());
        assertTrue(run.err().endsWith("vigil: 3 problems\n"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aRouteStepCamelDoesNotKnowIsNamedWithItsLineAndColumn() throws Exception {
        Path routes = routesWith("typo.yaml", """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - lgo: "one"
                """);
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("vigil: " + routes.resolve("typo.yaml") + ":6:11: "), run.err());
        assertTrue(run.err().contains("lgo"), run.err());
    }

    @Test
    void aPlaceholderOfAnUnknownOrRenamedKeyInARouteIsNamedWithItsLine() throws Exception {
        Path routes = routesWith("extra.yaml", """
                - route:
                    id: extra
                    from:
                      uri: "timer:extra?period={{vigil.logs.intervall}}"
                      steps:
                        - log: "{{vigil.history.maxrows:5}} {{vigil.history.maxRows}}"
                """);
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(1, run.status(), run.toString());
        Path extra = routes.resolve("extra.yaml");
        assertTrue(run.err().contains("vigil: " + extra + ":4:32: unknown configuration key 'vigil.logs.intervall'"
                + " in a placeholder\n"), run.err());
        assertTrue(run.err().contains("vigil: " + extra + ":6:17: vigil.history.maxrows was renamed to"
                + " vigil.history.maxRows\n"), run.err());
        assertTrue(run.err().endsWith("vigil: 2 problems\n"), run.err());
    }

    @Test
    void anEndpointOptionItsComponentDoesNotHaveOrAValueOfTheWrongTypeIsNamedWithItsRouteAndLine() throws Exception {
        Path routes = routesWith("extra.yaml", """
                - route:
                    id: extra-logs
                    from:
                      uri: logtail:extra
                      parameters:
                        files: "{{vigil.logs.files}}"
                        intervall: 5s
                      steps:
                        - to:
                            uri: "http://127.0.0.1:9/hook"
                            parameters:
                              connectTimeout: "{{vigil.logs.level}}"
                """);
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(1, run.status(), run.toString());
        Path extra = routes.resolve("extra.yaml");
        assertTrue(run.err().contains("vigil: " + extra + ":4: route extra-logs, endpoint logtail: unknown option"
                + " 'intervall'\n"), run.err());
        assertTrue(run.err().contains("vigil: " + extra + ":9: route extra-logs, endpoint http: option 'connectTimeout':"
                + " 'server' is not an integer\n"), run.err());
        assertTrue(run.err().endsWith("vigil: 2 problems\n"), run.err());
    }

    @Test
    void aReceiverRouteMadeFromATemplateIsCheckedWithItsKeysAsTheDaemonMakesIt() throws Exception {
        Path routes = routesWith("siem.yaml", """
                - templatedRoute:
                    routeTemplateRef: webhook
                    routeId: channel-webhook-siem
                    parameters:
                      - name: keys
                        value: vigil.webhook.siem
                """);
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n"
                + "vigil.webhook.url=https://hooks.example.net/vigil\n"
                + "vigil.webhook.siem.url=htps://siem.example.net/in\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", routes.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains(routes.resolve("channels.yaml") + ":" + (lineOf(routes.resolve("channels.yaml"),
                "method: webhook") + 1) + ": route channel-webhook-siem, endpoint htps: no component named htps\n"),
                run.err());
        assertTrue(run.err().endsWith("vigil: 1 problem\n"), "the first webhook's route is as it should be: " + run.err());
    }

    /** The line of {@code file} that holds {@code text}, from 1. */
    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + file);
    }

    @Test
    void aCleanConfigurationExitsZeroWithAOneLineSummary() throws Exception {
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + SHIPPED_RULES + "\n"
                + "vigil.logs.group.web.files=" + dir.resolve("web.log") + "\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", SHIPPED_ROUTES.toString());

        assertEquals(0, run.status(), run.toString());
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith("OK: 1 config file, 7 route files, 2 log groups with 1 rule tree ("), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aMissingRuleTreeAndAGroupWithoutFilesAreProblems() throws Exception {
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.rules=" + dir.resolve("nowhere") + "\n");

        CommandRun run = vigil("config", "check", "--config", config.toString(), "--routes", SHIPPED_ROUTES.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("vigil: rule tree " + dir.resolve("nowhere") + " does not exist (log group logs)"),
                run.err());
    }

    @Test
    void configWithoutASubcommandStillShowsTheConfiguration() throws Exception {
        Path config = Files.writeString(home.resolve("my.properties"), "vigil.logs.level=paranoid\n");

        CommandRun run = vigil("config", "--config", config.toString());

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("# " + config + ":1\nvigil.logs.level=paranoid\n"), run.out());
    }

    @Test
    void initWritesWhatThisHostHasAndTheResultPassesCheck() throws Exception {
        Path root = Files.createDirectories(dir.resolve("host"));
        Path log = Files.createDirectories(root.resolve("var/log"));
        Files.writeString(log.resolve("syslog"), "");
        Files.writeString(log.resolve("secure"), "");
        Files.createSymbolicLink(log.resolve("auth.log"), log.resolve("syslog"));
        Files.createDirectory(log.resolve("kern.log"));
        Path run = Files.createDirectories(root.resolve("run"));
        Files.writeString(run.resolve("sshd.pid"), "812\n");
        Files.writeString(Files.createDirectory(run.resolve("nginx")).resolve("nginx.pid"), "900\n");
        Files.writeString(Files.createDirectories(run.resolve("user/1000")).resolve("deep.pid"), "1\n");
        Files.createSymbolicLink(run.resolve("linked.pid"), run.resolve("sshd.pid"));
        Files.writeString(run.resolve("not,plain.pid"), "2\n");
        Path lock = Files.createDirectory(run.resolve("lock"));
        Files.writeString(lock.resolve("planted.pid"), "3\n");
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path output = home.resolve("vigil.properties");

        ConfigInitCommand init = new ConfigInitCommand();
        init.root = root;
        init.euid = 1000;
        init.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int status = new CommandLine(init).execute("--output", output.toString());

        assertEquals(0, status);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(output, LinkOption.NOFOLLOW_LINKS)));
        List<String> lines = Files.readAllLines(output);
        assertTrue(lines.contains("vigil.files.areas=" + String.join(",", VigilHome.USER_AREAS)), lines.toString());
        assertTrue(lines.contains("vigil.logs.files=" + log.resolve("syslog") + "," + log.resolve("secure")), lines.toString());
        assertTrue(lines.contains("vigil.pids.files=" + run.resolve("nginx/nginx.pid") + "," + run.resolve("sshd.pid")),
                lines.toString());
        assertTrue(lines.contains("# " + Key.LOGS_FILES.doc()), "documentation from the table of keys");
        assertTrue(lines.contains("#vigil.alerts.maxSize=10MB"), "every other key commented out at its default");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("vigil.") && !l.startsWith("vigil.files.areas=")
                && !l.startsWith("vigil.logs.files=") && !l.startsWith("vigil.pids.files=")), lines.toString());

        Files.writeString(output, "vigil.logs.rules=" + SHIPPED_RULES + "\n", StandardOpenOption.APPEND);
        CommandRun check = vigil("config", "check", "--config", output.toString(), "--routes", SHIPPED_ROUTES.toString());
        assertEquals(0, check.status(), check.toString());
    }

    @Test
    void initProposesDebiansLogcheckRulesWhereTheyAreInstalled() throws Exception {
        Path root = Files.createDirectories(dir.resolve("debian-host"));
        Path rules = root.resolve("etc/logcheck");
        Files.writeString(Files.createDirectories(rules.resolve("ignore.d.server")).resolve("cron"), "^cron\\[[0-9]+\\]: .*$\n");
        Path output = home.resolve("vigil.properties");

        ConfigInitCommand init = new ConfigInitCommand();
        init.root = root;
        init.euid = 0;
        init.err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, new CommandLine(init).execute("--output", output.toString()));

        List<String> lines = Files.readAllLines(output);
        assertTrue(lines.contains("vigil.logs.rules=" + rules), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("#vigil.logs.rules=")), "not again among the defaults");
        CommandRun check = vigil("config", "check", "--config", output.toString(), "--routes", SHIPPED_ROUTES.toString());
        assertEquals(0, check.status(), check.toString());
        assertTrue(check.out().contains("(1 pattern loaded)"), check.toString());
    }

    @Test
    void initNeverReplacesAnExistingFileWithoutForce() throws Exception {
        Path output = Files.writeString(home.resolve("vigil.properties"), "vigil.logs.level=paranoid\n");

        CommandRun refused = vigil("config", "init", "--output", output.toString());

        assertEquals(2, refused.status(), refused.toString());
        assertEquals("vigil: " + output + " exists: it is left as it is (--force replaces it)\n", refused.err());
        assertEquals("vigil.logs.level=paranoid\n", Files.readString(output));

        ConfigInitCommand init = new ConfigInitCommand();
        init.root = Files.createDirectories(dir.resolve("empty-host"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        init.err = new PrintStream(said, true, StandardCharsets.UTF_8);

        assertEquals(0, new CommandLine(init).execute("--output", output.toString(), "--force"));

        assertEquals("vigil: wrote " + output + "; check it with: vigil config check --config " + output + "\n",
                said.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(output).contains("\nvigil.pids.files=\n"), "replaced");
    }
}
