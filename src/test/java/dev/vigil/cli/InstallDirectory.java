package dev.vigil.cli;

import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An empty install directory for each test ({@code @RegisterExtension}), given to the commands as the launcher
 * gives it ({@code -Dvigil.home}), so they read no config/vigil.properties but the test's; the property is put
 * back and the directory deleted after the test.
 */
final class InstallDirectory implements BeforeEachCallback, AfterEachCallback {

    Path home;
    private String savedHome;

    @Override
    public void beforeEach(ExtensionContext test) throws IOException {
        home = Files.createTempDirectory("vigil-install");
        savedHome = System.getProperty("vigil.home");
        System.setProperty("vigil.home", home.toString());
    }

    @Override
    public void afterEach(ExtensionContext test) {
        if (savedHome == null) {
            System.clearProperty("vigil.home");
        } else {
            System.setProperty("vigil.home", savedHome);
        }
        FileUtil.removeDir(home.toFile());
    }
}
