package dev.vigil.camel.fscan;

import dev.vigil.camel.Beans;
import dev.vigil.camel.FileAreas;
import dev.vigil.camel.Headers;
import dev.vigil.camel.PollingEndpoint;

import dev.vigil.fim.Integrity;
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
 * Checks file trees against the baseline on a schedule and sends each new deviation as a finding of source
 * files.
 *
 * <p>In {@code full} mode a complete quick check runs every {@code interval} (or on {@code cron}); in
 * {@code trickle} mode the areas are checked continuously, slowly and in random order, content included
 * (integrityd's trickle, see {@link dev.vigil.fim.Trickle}), and {@code interval} is how long a trickle that
 * failed (all its areas missing, say) waits before it starts again. A path missing from {@code areas} is a
 * warning, not an error: it is checked again on the next run.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fscan", title = "File integrity scan", syntax = "fscan:name",
        consumerOnly = true, category = {Category.FILE, Category.MONITORING}, headersClass = Headers.class)
public final class FscanEndpoint extends PollingEndpoint {

    @UriPath(description = "A label for this check, used in logs")
    @Metadata(required = true)
    private String name;

    @UriParam
    private FileAreas configuration;

    @UriParam(defaultValue = "false", description = "Re-hash every file instead of only those whose inode, size or times changed")
    private boolean paranoid;

    @UriParam(label = "advanced", defaultValue = "0", description = "Worker threads; 0 means every processor")
    private int threads;

    @UriParam(defaultValue = "full", enums = "full,trickle",
            description = "full: a complete check every interval; trickle: integrityd's continuous slow check in random order")
    private String mode = "full";

    @UriParam(label = "advanced,trickle", defaultValue = "65536", description = "Trickle: files smaller than this many bytes are read in one go")
    private long smallFiles = TrickleOptions.defaults().smallFiles();

    @UriParam(label = "advanced,trickle", defaultValue = "10", description = "Trickle: rate factor as soon as a new change is found")
    private double speedup = TrickleOptions.defaults().speedup();

    @UriParam(label = "advanced,trickle", defaultValue = "60", description = "Trickle: seconds in which the extra speed halves")
    private double speedupHalfLife = TrickleOptions.defaults().speedupHalfLife();

    public FscanEndpoint(String uri, FscanComponent component, FileAreas configuration) {
        super(uri, component, "10m");
        this.configuration = configuration;
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
        ScanOptions options = configuration.scanOptions(getCamelContext());
        return threads > 0 ? options.withThreads(threads) : options;
    }

    Integrity integrity() {
        return new Integrity(new SqliteBaseline(Beans.database(getCamelContext()), host()), scanOptions(),
                configuration.pathPolicy(getCamelContext()));
    }

    TrickleOptions trickleOptions() {
        return new TrickleOptions(configuration.getByteRate(), configuration.getFileRate(), smallFiles, speedup,
                speedupHalfLife, scanOptions(), configuration.pathPolicy(getCamelContext()));
    }

    public FileAreas getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FileAreas configuration) {
        this.configuration = configuration;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public long getSmallFiles() {
        return smallFiles;
    }

    public void setSmallFiles(long smallFiles) {
        this.smallFiles = smallFiles;
    }

    public double getSpeedup() {
        return speedup;
    }

    public void setSpeedup(double speedup) {
        this.speedup = speedup;
    }

    public double getSpeedupHalfLife() {
        return speedupHalfLife;
    }

    public void setSpeedupHalfLife(double speedupHalfLife) {
        this.speedupHalfLife = speedupHalfLife;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isParanoid() {
        return paranoid;
    }

    public void setParanoid(boolean paranoid) {
        this.paranoid = paranoid;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }
}
