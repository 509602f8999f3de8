package dev.vigil.camel;

import org.junit.jupiter.api.Assumptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TLS server's key and self-signed certificate made by the JDK's keytool, and a trust store holding just that
 * certificate, both PKCS12: the world of a private CA in one step, for tests of channels over TLS.
 */
final class TestCertificate {

    private TestCertificate() {
    }

    /**
     * Writes the server's key store {@code serverKeys} (certificate for {@code san}, e.g. {@code ip:127.0.0.1})
     * and the trust store {@code trust}.
     */
    static void make(String san, Path serverKeys, String serverPassword, Path trust, String trustPassword) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "the JDK's keytool makes the server's certificate");
        Path cert = serverKeys.resolveSibling(serverKeys.getFileName() + ".crt");
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=vigil-test-server", "-ext", "SAN=" + san, "-validity", "2", "-keystore", serverKeys.toString(),
                "-storetype", "PKCS12", "-storepass", serverPassword);
        run(keytool, "-exportcert", "-alias", "server", "-keystore", serverKeys.toString(), "-storepass", serverPassword,
                "-file", cert.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "server-ca", "-file", cert.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", trustPassword);
    }

    private static void run(Path tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + output);
    }
}
