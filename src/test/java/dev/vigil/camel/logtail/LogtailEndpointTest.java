package dev.vigil.camel.logtail;

import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.RuleTree;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code logtail:} URIs and {@code vigil.logs.group.*} keys become the core's {@link LogGroup}s. */
class LogtailEndpointTest {

    private final CamelContext context = new DefaultCamelContext();
    private final Path home = Path.of("/opt/vigil");

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private List<LogGroup> groups(String uri, Properties config) {
        config.setProperty("vigil.home", home.toString());
        context.getPropertiesComponent().setInitialProperties(config);
        return context.getEndpoint(uri, LogtailEndpoint.class).groups();
    }

    @Test
    void uriOptionsMakeTheMainGroupWithPathsFromTheInstallDirectory() {
        List<LogGroup> g = groups("logtail:logs?files=/var/log/syslog, data/app.log&rules=/etc/logcheck&level=paranoid"
                + "&local=site,/etc/vigil/extra:workstation&crackingIgnore=true&interval=500ms", new Properties());

        assertEquals(List.of(new LogGroup("logs", List.of(Path.of("/var/log/syslog"), home.resolve("data/app.log")),
                new RuleTree.Source(Path.of("/etc/logcheck"), Level.PARANOID),
                List.of(new RuleTree.Source(home.resolve("site"), Level.PARANOID),
                        new RuleTree.Source(Path.of("/etc/vigil/extra"), Level.WORKSTATION)), true)), g);
        assertEquals(500, context.getEndpoint("logtail:logs?interval=500ms", LogtailEndpoint.class).getDelay());
    }

    @Test
    void groupsOfTheConfigurationTakeTheMainGroupsRulesUnlessTheyNameTheirOwn() {
        Properties config = new Properties();
        config.setProperty("vigil.logs.group.web.files", "/srv/web/log/syslog");
        config.setProperty("vigil.logs.group.db.files", "/srv/db/log/syslog");
        config.setProperty("vigil.logs.group.db.rules", "/etc/logcheck");
        config.setProperty("vigil.logs.group.db.level", "workstation");
        config.setProperty("vigil.logs.group.db.local", "");
        List<LogGroup> g = groups("logtail:logs?files=/var/log/syslog&local=site&fromConfig=true", config);

        RuleTree.Source site = new RuleTree.Source(home.resolve("site"), Level.SERVER);
        assertEquals(List.of("logs", "db", "web"), g.stream().map(LogGroup::name).toList());
        assertEquals(new LogGroup("db", List.of(Path.of("/srv/db/log/syslog")),
                new RuleTree.Source(Path.of("/etc/logcheck"), Level.WORKSTATION), List.of(), false), g.get(1));
        assertEquals(new LogGroup("web", List.of(Path.of("/srv/web/log/syslog")),
                new RuleTree.Source(home.resolve("logrules"), Level.SERVER), List.of(site), false), g.get(2));
    }

    @Test
    void aGroupWithoutFilesIsRefusedNamingItsKey() {
        Properties config = new Properties();
        config.setProperty("vigil.logs.group.web.level", "paranoid");
        Exception e = assertThrows(IllegalArgumentException.class, () -> groups("logtail:logs?fromConfig=true", config));
        assertTrue(e.getMessage().contains("vigil.logs.group.web.files"), e.getMessage());
    }
}
