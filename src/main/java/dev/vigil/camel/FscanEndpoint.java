package dev.vigil.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

/**
 * {@code fscan:NAME?areas=...}: checks file trees against the baseline on a schedule and sends each new
 * deviation as a {@link dev.vigil.alert.Finding} (source {@code files}).
 *
 * <p>Options (each maps to the engine's scan options):
 * <ul>
 *   <li>{@code areas}: comma-separated trees; a tree without a baseline yet gets one on the first run.</li>
 *   <li>{@code paranoid}: re-hash every file (default false: quick check, re-hash what changed).</li>
 *   <li>{@code excludes}, {@code noinode}, {@code notime}: as {@code vigil.files.*}.</li>
 *   <li>{@code critical}: path globs whose findings are CRITICAL and skip pooling and holdoff.</li>
 *   <li>{@code threads}, {@code hash}, {@code oneFilesystem}: as the CLI's scan options.</li>
 *   <li>{@code interval} (30s, 10m, 1h or 500ms; a unit is required; default 10m): the time between the end of one check and the start of
 *       the next; Camel's scheduled-poll options ({@code initialDelay}, {@code scheduler}, ...) apply as well.</li>
 * </ul>
 * A path missing from {@code areas} is a warning, not an error: it is checked again on the next run.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fscan", title = "File integrity scan", syntax = "fscan:name",
        consumerOnly = true, category = {Category.FILE, Category.MONITORING})
public final class FscanEndpoint extends PollingEndpoint {

    @UriPath(description = "A label for this check, used in logs")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "Comma-separated trees to check")
    @Metadata(required = true)
    private String areas;

    @UriParam(defaultValue = "false", description = "Re-hash every file instead of only those whose inode, size or times changed")
    private boolean paranoid;

    @UriParam(description = "Comma-separated globs to leave out")
    private String excludes = "";

    @UriParam(description = "Comma-separated paths whose inode number is not compared")
    private String noinode = "";

    @UriParam(description = "Comma-separated paths whose mtime and ctime are not compared")
    private String notime = "";

    @UriParam(description = "Comma-separated path globs whose findings are critical (not pooled, not held off)")
    private String critical = "";

    @UriParam(defaultValue = "0", description = "Worker threads; 0 means every processor")
    private int threads;

    @UriParam(defaultValue = "sha256", enums = "sha256,sha512,sha3-256", description = "Content hash algorithm")
    private String hash = "sha256";

    @UriParam(defaultValue = "false", description = "Do not descend into other file systems")
    private boolean oneFilesystem;

    public FscanEndpoint(String uri, FscanComponent component) {
        super(uri, component, "10m");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FscanConsumer consumer = new FscanConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAreas() {
        return areas;
    }

    public void setAreas(String areas) {
        this.areas = areas;
    }

    public boolean isParanoid() {
        return paranoid;
    }

    public void setParanoid(boolean paranoid) {
        this.paranoid = paranoid;
    }

    public String getExcludes() {
        return excludes;
    }

    public void setExcludes(String excludes) {
        this.excludes = excludes;
    }

    public String getNoinode() {
        return noinode;
    }

    public void setNoinode(String noinode) {
        this.noinode = noinode;
    }

    public String getNotime() {
        return notime;
    }

    public void setNotime(String notime) {
        this.notime = notime;
    }

    public String getCritical() {
        return critical;
    }

    public void setCritical(String critical) {
        this.critical = critical;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public boolean isOneFilesystem() {
        return oneFilesystem;
    }

    public void setOneFilesystem(boolean oneFilesystem) {
        this.oneFilesystem = oneFilesystem;
    }

}
