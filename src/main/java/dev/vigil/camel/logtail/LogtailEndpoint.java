package dev.vigil.camel.logtail;

import dev.vigil.camel.Beans;
import dev.vigil.camel.Headers;
import dev.vigil.camel.PollingEndpoint;
import dev.vigil.camel.Settings;
import dev.vigil.config.Key;

import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.LogTail;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows log files across rotations and restarts, classifies each batch of new lines exactly as logcheck would,
 * and sends every line that is not ignored as a finding of source logs.
 *
 * <p>Kinds: SECURITY_ALERT (critical), SECURITY_EVENT (warning) or SYSTEM_EVENT (notice); the subject is the
 * line; details {@code section}, {@code rulefile}, {@code logfile} as {@link dev.vigil.alert.Details} names them.
 * A line in several subsections is one finding per subsection, as logcheck prints it under each. A file that is
 * missing or unreadable is warned about once and looked for again on every poll. Relative paths are taken from
 * the install directory ({@code vigil.home}). The groups of the {@code vigil.logs.group.NAME.*} keys
 * ({@code fromConfig}) have open-ended names, so a route cannot list them as placeholders.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "logtail", title = "Log tail with logcheck rules", syntax = "logtail:name",
        consumerOnly = true, category = {Category.MONITORING}, headersClass = Headers.class)
public final class LogtailEndpoint extends PollingEndpoint {

    /** Below a syslog line's own length every line would be cut. */
    private static final int MIN_MAX_LINE = 1024;

    @UriPath(description = "Names the main log group; its offsets are kept in the database under this name")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "Comma-separated log files")
    private String files = "";

    @UriParam(defaultValue = "logrules", description = "The base rule tree: logrules (Vigil's) or /etc/logcheck (Debian's)")
    private String rules = "logrules";

    @UriParam(defaultValue = "server", enums = "paranoid,server,workstation", description = "The base tree's level")
    private String level = "server";

    @UriParam(description = "Comma-separated local rule trees DIR[:LEVEL] layered over the base")
    private String local = "";

    @UriParam(defaultValue = "false", description = "Let cracking.ignore.d filter alerts (SUPPORT_CRACKING_IGNORE)")
    private boolean crackingIgnore;

    @UriParam(label = "advanced", defaultValue = "60", description = "Seconds a loaded rule tree is trusted before its files are looked at again")
    private int rulesFreshness = 60;

    @UriParam(defaultValue = "false", description = "Also send a ROTATED finding when a log is rotated")
    private boolean rotationAlert;

    @UriParam(defaultValue = "false", description = "Also follow the groups of the vigil.logs.group.NAME.* configuration keys")
    private boolean fromConfig;

    @UriParam(label = "advanced", defaultValue = "65536", description = "Longest line classified whole, in bytes: a longer one is classified"
            + " on its start and reported with a truncated marker, its rest skipped")
    private int maxLine = LogTail.DEFAULT_MAX_LINE;

    public LogtailEndpoint(String uri, LogtailComponent component) {
        super(uri, component, "1s");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        LogtailConsumer consumer = new LogtailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The main group and, with {@code fromConfig}, those of the configuration.
     *
     * @throws IllegalArgumentException naming the option or key, for a bad level or group
     */
    List<LogGroup> groups() {
        Path home = Path.of(Settings.value(getCamelContext(), Key.HOME)).toAbsolutePath();
        Level lvl;
        try {
            lvl = Level.parse(level);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("logtail:" + name + ": level '" + level + "' is not paranoid, server or workstation");
        }
        LogGroup main = LogGroup.of(name, files, rules, lvl, local, crackingIgnore, home);
        List<LogGroup> groups = new ArrayList<>();
        groups.add(main);
        if (fromConfig) {
            groups.addAll(LogGroup.fromProperties(Beans.configuration(getCamelContext(), LogGroup::isGroupKey), main, home));
        }
        return groups;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getFiles() {
        return files;
    }

    public void setFiles(String files) {
        this.files = files;
    }

    public String getRules() {
        return rules;
    }

    public void setRules(String rules) {
        this.rules = rules;
    }

    public String getLevel() {
        return level;
    }

    public void setLevel(String level) {
        this.level = level;
    }

    public String getLocal() {
        return local;
    }

    public void setLocal(String local) {
        this.local = local;
    }

    public boolean isCrackingIgnore() {
        return crackingIgnore;
    }

    public void setCrackingIgnore(boolean crackingIgnore) {
        this.crackingIgnore = crackingIgnore;
    }

    public int getRulesFreshness() {
        return rulesFreshness;
    }

    public void setRulesFreshness(int rulesFreshness) {
        this.rulesFreshness = rulesFreshness;
    }

    public boolean isRotationAlert() {
        return rotationAlert;
    }

    public void setRotationAlert(boolean rotationAlert) {
        this.rotationAlert = rotationAlert;
    }

    public boolean isFromConfig() {
        return fromConfig;
    }

    public void setFromConfig(boolean fromConfig) {
        this.fromConfig = fromConfig;
    }

    public int getMaxLine() {
        return maxLine;
    }

    public void setMaxLine(int maxLine) {
        if (maxLine < MIN_MAX_LINE) {
            throw new IllegalArgumentException("logtail: maxLine must be at least " + MIN_MAX_LINE + " bytes, not " + maxLine);
        }
        this.maxLine = maxLine;
    }

}
