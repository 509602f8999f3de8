package dev.vigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layers of the configuration and the one-line problems it finds, on real files. */
class ConfigurationTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Configuration load(List<Path> files) {
        return Configuration.load(files, Map.of(), Map.of());
    }

    @Test
    void aFileWithThreeKeysIsAWholeConfigurationOverTheBuiltInDefaults() throws Exception {
        Path config = file("vigil.properties", "vigil.files.areas=/srv\nvigil.logs.level=paranoid\nvigil.pids.files=/run/sshd.pid\n");

        Configuration c = load(List.of(config));

        assertEquals(List.of(), c.problems());
        assertEquals("paranoid", c.get("vigil.logs.level"));
        assertEquals(config + ":2", c.value("vigil.logs.level").orElseThrow().origin());
        assertEquals("90d", c.get("vigil.history.keep"));
        assertEquals(Configuration.DEFAULT, c.value("vigil.history.keep").orElseThrow().origin());
        assertEquals("15", c.get("vigil.report.files.reportTime"));
        assertEquals("120", c.get("vigil.report.pids.reportHoldoff"));
    }

    @Test
    void eachLayerOverridesTheOneBefore() throws Exception {
        Path installed = file("installed.properties", "vigil.files.scan.interval=1h\nvigil.logs.interval=5s\n"
                + "vigil.pids.interval=1m\nvigil.history.keep=30d\n");
        Path given = file("given.properties", "vigil.logs.interval=2s\nvigil.pids.interval=2m\nvigil.history.keep=10d\n");

        Configuration c = Configuration.load(List.of(installed, given),
                Map.of("VIGIL_PIDS_INTERVAL", "3m", "vigil_history_keep", "5d", "VIGIL_JAVA_OPTS", "-Xmx1g"),
                Map.of("vigil.history.keep", "1d"));

        assertEquals(List.of(), c.problems(), "VIGIL_JAVA_OPTS is no key, and left alone");
        assertEquals("1h", c.get("vigil.files.scan.interval"));
        assertEquals(installed + ":1", c.value("vigil.files.scan.interval").orElseThrow().origin());
        assertEquals("2s", c.get("vigil.logs.interval"));
        assertEquals(given + ":1", c.value("vigil.logs.interval").orElseThrow().origin());
        assertEquals("3m", c.get("vigil.pids.interval"));
        assertEquals("environment VIGIL_PIDS_INTERVAL", c.value("vigil.pids.interval").orElseThrow().origin());
        assertEquals("1d", c.get("vigil.history.keep"));
        assertEquals("-Dvigil.history.keep", c.value("vigil.history.keep").orElseThrow().origin());
    }

    @Test
    void anEnvironmentVariableIsMatchedToItsKeyInAnyCase() throws Exception {
        Configuration c = Configuration.load(List.of(), Map.of("VIGIL_FILES_WATCH_DEBOUNCEMAX", "2s",
                "VIGIL_EMAIL_OPS_TO", "ops@example.org"), Map.of());

        assertEquals("2s", c.get("vigil.files.watch.debounceMax"));
        assertEquals("ops@example.org", c.get("vigil.email.ops.to"));
    }

    /**
     * A whole number may be written with underscores (1_000); its readers (Camel's endpoint options, the report pools)
     * are handed the digits alone, and the value as written is kept to show. A bad one stays as written, a problem.
     */
    @Test
    void aWholeNumberWrittenWithUnderscoresIsHandedOnAsItsDigits() throws Exception {
        Path config = file("vigil.properties", "vigil.logs.maxLine=65_536\nvigil.alerts.lanes=4\n");
        Configuration c = load(List.of(config));

        assertEquals(List.of(), c.problems());
        assertEquals("65536", c.get("vigil.logs.maxLine"));
        assertEquals("65_536", c.value("vigil.logs.maxLine").orElseThrow().raw());
        assertEquals("4", c.get("vigil.alerts.lanes"));
        Configuration given = Configuration.load(List.of(), Map.of(), Map.of("vigil.report.files.maxChars", "16_777_216"));
        assertEquals("16777216", given.get("vigil.report.files.maxChars"));
        assertEquals("16_777_216", given.value("vigil.report.files.maxChars").orElseThrow().raw());
        Configuration bad = load(List.of(file("bad.properties", "vigil.alerts.lanes=12_x\n")));
        assertEquals("12_x", bad.get("vigil.alerts.lanes"));
        assertEquals(1, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void eachBadValueIsOneLineNamingTheKeyTheValueWhatIsAllowedAndTheFileAndLine() throws Exception {
        Path config = file("vigil.properties", "# a comment\nvigil.logs.level=sever\n"
                + "vigil.files.scan.interval=5 minutes\nvigil.files.trickle.enabled=yes\nvigil.logs.maxLine=100\n"
                + "vigil.syslog.target=syslog.example.org\nvigil.files.hash=md5\nvigil.email.password=\\\n    hunter2\n"
                + "vigil.email.smtp=http://mail\n");

        List<String> problems = load(List.of(config)).problems();

        assertEquals(List.of(
                config + ":2: vigil.logs.level=sever is not paranoid, server or workstation",
                config + ":3: vigil.files.scan.interval=5 minutes is not a duration: a number with a unit: 500ms, 30s,"
                        + " 10m, 1h or 2d (or a sum: 1h30m)",
                config + ":4: vigil.files.trickle.enabled=yes is not true or false",
                config + ":5: vigil.logs.maxLine=100 is not a whole number from 1024 to 2147483647",
                config + ":6: vigil.syslog.target=syslog.example.org is not udp://host:port, tcp://host:port or tls://host:port",
                config + ":7: vigil.files.hash=md5 is not sha256, sha512 or sha3-256",
                config + ":10: vigil.email.smtp=http://mail is not smtp://host:port or smtps://host:port"),
                problems.stream().sorted((a, b) -> Integer.compare(line(a), line(b))).toList());
    }

    private static int line(String problem) {
        String rest = problem.substring(problem.indexOf(".properties:") + ".properties:".length());
        return Integer.parseInt(rest.substring(0, rest.indexOf(':')));
    }

    @Test
    void anEmptyValueIsRefusedWhereTheKeyHasADefaultAndTakenAsNoneForAList() throws Exception {
        Path config = file("vigil.properties", "vigil.email.from=\nvigil.files.excludes=\n");

        Configuration c = load(List.of(config));

        assertEquals(List.of(config + ":1: vigil.email.from is empty: write any text, or leave the key out for its default"
                + " (vigil@localhost)"), c.problems());
        assertEquals("", c.get("vigil.files.excludes"));
    }

    @Test
    void kafkaBrokersWithoutTheHostsSigningKeyIsAProblemAndTheProtocolIsTakenInAnyCase() throws Exception {
        Path config = file("vigil.properties", "vigil.kafka.brokers=kafka1:9092\nvigil.kafka.securityProtocol=sasl_ssl\n");

        assertEquals(List.of(config + ":1: vigil.kafka.brokers is set but vigil.kafka.key is empty: every record is signed"
                + " with this host's key, and the collector refuses unsigned ones"), load(List.of(config)).problems());
        Path signed = file("signed.properties", "vigil.kafka.brokers=kafka1:9092\nvigil.kafka.key={{env:KEY}}\n");
        assertEquals(List.of(), Configuration.load(List.of(signed), Map.of("KEY", "k"), Map.of()).problems());
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        Configuration c = Configuration.load(List.of(), Map.of("VIGIL_LOGS_LEVEL", "loud"), Map.of());

        assertEquals(List.of("environment VIGIL_LOGS_LEVEL: vigil.logs.level=loud is not paranoid, server or workstation"),
                c.problems());
    }

    @Test
    void aMisspeltKeyIsRefusedAndARenamedOneNamesItsNewName() throws Exception {
        Path config = file("vigil.properties", "vigil.files.scan.intervall=1h\nvigil.files.noinode=/srv\n"
                + "vigil.report.logs.reporttime=10\n");

        Configuration c = load(List.of(config));

        assertEquals(List.of(config + ":1: unknown configuration key 'vigil.files.scan.intervall' (known keys are listed,"
                        + " with their defaults, in config/vigil.properties)",
                config + ":2: vigil.files.noinode was renamed to vigil.files.noInode",
                config + ":3: vigil.report.logs.reporttime was renamed to vigil.report.logs.reportTime"), c.problems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::requireValid);
        assertTrue(e.getMessage().contains("vigil.files.scan.intervall"), e.getMessage());
    }

    @Test
    void anUnsetEnvironmentVariableIsAProblemUnlessItHasADefaultAndACredentialInABadUrlIsMasked() throws Exception {
        Path config = file("vigil.properties", "vigil.syslog.truststore.password={{env:VIGIL_TEST_SURELY_UNSET}}\n"
                + "vigil.webhook.secret={{env:VIGIL_TEST_SURELY_UNSET:fallback}}\nvigil.email.smtp=http://me:hunter2@mail\n");

        Configuration c = load(List.of(config));

        assertEquals(List.of(config + ":1: vigil.syslog.truststore.password={{env:VIGIL_TEST_SURELY_UNSET}}: the environment"
                + " variable VIGIL_TEST_SURELY_UNSET is not set (write {{env:VIGIL_TEST_SURELY_UNSET:DEFAULT}} for a default)",
                config + ":3: vigil.email.smtp=**** is not smtp://host:port or smtps://host:port"), c.problems());
        assertEquals("fallback", c.get("vigil.webhook.secret"));
    }

    @Test
    void aKeyVigilSetsItselfIsRefusedInAFile() throws Exception {
        Path config = file("vigil.properties", "vigil.syslog.transport=tcp://x:514\n");

        assertEquals(List.of(config + ":1: vigil.syslog.transport is set by Vigil itself, not in the configuration"),
                load(List.of(config)).problems());
    }

    @Test
    void otherKeysArePassedOnAsWritten() throws Exception {
        Path config = file("vigil.properties", "camel.main.shutdownTimeout=5\n");

        Configuration c = load(List.of(config));

        assertEquals(List.of(), c.problems());
        assertEquals("5", c.others().iterator().next().value());
    }
}
