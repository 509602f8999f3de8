package dev.vigil.camel.fscan;

import dev.vigil.camel.PollingEndpoint;
import dev.vigil.camel.Beans;

import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.TrickleOptions;
import dev.vigil.store.SqliteBaseline;
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
 * <p>Options (each maps to the engine's scan or trickle options):
 * <ul>
 *   <li>{@code mode}: {@code full} (default), a complete check every {@code interval}; or {@code trickle},
 *       integrityd's continuous check: {@code byterate} bytes/s (262144), {@code filerate} entries/s (50), files
 *       under {@code smallfiles} bytes (65536) read in one go, {@code speedup}x (10) after a new change, halving
 *       back every {@code decay} seconds (60). See {@link dev.vigil.fim.Trickle}.</li>
 *   <li>{@code areas}: comma-separated trees; a tree without a baseline yet gets one on the first run.</li>
 *   <li>{@code paranoid}: re-hash every file (default false: quick check, re-hash what changed).</li>
 *   <li>{@code excludes}, {@code noinode}, {@code notime}: as {@code vigil.files.*}.</li>
 *   <li>{@code critical}: path globs whose findings are CRITICAL and skip pooling and holdoff.</li>
 *   <li>{@code threads}, {@code hash}, {@code oneFilesystem}: as the CLI's scan options.</li>
 *   <li>{@code interval} (30s, 10m, 1h or 500ms; a unit is required; default 10m): the time between the end of one check and the start of
 *       the next; Camel's scheduled-poll options ({@code initialDelay}, {@code scheduler}, ...) apply as well. In
 *       trickle mode, how long a trickle that failed (all its areas missing, say) waits before it starts again.</li>
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

    @UriParam(defaultValue = "full", enums = "full,trickle",
            description = "full: a complete check every interval; trickle: integrityd's continuous slow check in random order")
    private String mode = "full";

    @UriParam(label = "trickle", defaultValue = "262144", description = "Trickle: most bytes of content read per second")
    private long byterate = 262_144;

    @UriParam(label = "trickle", defaultValue = "50", description = "Trickle: most entries checked per second")
    private double filerate = 50;

    @UriParam(label = "trickle", defaultValue = "65536", description = "Trickle: files smaller than this are read in one go")
    private long smallfiles = 65_536;

    @UriParam(label = "trickle", defaultValue = "10", description = "Trickle: rate factor as soon as a new change is found")
    private double speedup = 10;

    @UriParam(label = "trickle", defaultValue = "60", description = "Trickle: seconds in which the extra speed halves")
    private double decay = 60;

    public FscanEndpoint(String uri, FscanComponent component) {
        super(uri, component, "10m");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (mode.equals("trickle")) {
            TrickleConsumer consumer = new TrickleConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
        if (!mode.equals("full")) {
            throw new IllegalArgumentException("fscan: mode is full or trickle, not " + mode);
        }
        FscanConsumer consumer = new FscanConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    ScanOptions scanOptions() {
        ScanOptions options = ScanOptions.defaults()
                .withAlgorithm(HashAlgorithm.named(hash))
                .withExcludes(Beans.excludes(getCamelContext(), excludes))
                .withOneFilesystem(oneFilesystem);
        return threads > 0 ? options.withThreads(threads) : options;
    }

    PathPolicy pathPolicy() {
        return Beans.pathPolicy(getCamelContext(), noinode, notime);
    }

    Integrity integrity() {
        return new Integrity(new SqliteBaseline(Beans.database(getCamelContext())), scanOptions(), pathPolicy());
    }

    TrickleOptions trickleOptions() {
        return new TrickleOptions(byterate, filerate, smallfiles, speedup, decay, scanOptions(), pathPolicy());
    }


    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public long getByterate() {
        return byterate;
    }

    public void setByterate(long byterate) {
        this.byterate = byterate;
    }

    public double getFilerate() {
        return filerate;
    }

    public void setFilerate(double filerate) {
        this.filerate = filerate;
    }

    public long getSmallfiles() {
        return smallfiles;
    }

    public void setSmallfiles(long smallfiles) {
        this.smallfiles = smallfiles;
    }

    public double getSpeedup() {
        return speedup;
    }

    public void setSpeedup(double speedup) {
        this.speedup = speedup;
    }

    public double getDecay() {
        return decay;
    }

    public void setDecay(double decay) {
        this.decay = decay;
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
