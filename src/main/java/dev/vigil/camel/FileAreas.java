package dev.vigil.camel;

import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.TrickleOptions;
import dev.vigil.fim.PathGlobs;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.PropertyBindingSupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file areas and how they are compared, which {@code fscan:} and {@code fswatch:} share: one set of
 * options, described once. Each of the two components holds one as its defaults (set from the
 * {@code vigil.files.*} keys of the same names, or as {@code camel.component.fscan.*}), and each endpoint starts
 * from a copy of its component's, so a route names only what differs.
 */
@UriParams
@Configurer
public final class FileAreas implements Cloneable {

    private static final List<String> KEY_PREFIXES = List.of("vigil.files.", "vigil.files.trickle.");

    @UriParam(description = "Comma-separated trees; one without a baseline yet gets one on its first check")
    private String areas = "";

    @UriParam(description = "Comma-separated globs to leave out")
    private String excludes = "";

    @UriParam(description = "Comma-separated paths whose inode number is not compared")
    private String noInode = "";

    @UriParam(description = "Comma-separated paths whose mtime and ctime are not compared")
    private String noTime = "";

    @UriParam(description = "Comma-separated paths whose files may grow: a larger size with the old part unchanged is not a deviation (log files)")
    private String growing = "";

    @UriParam(description = "Comma-separated path globs whose findings are critical (not pooled, not held off)")
    private String critical = "";

    @UriParam(defaultValue = "sha256", enums = "sha256,sha512,sha3-256", description = "Content hash algorithm (the baseline's)")
    private String hash = "sha256";

    @UriParam(defaultValue = "false", description = "Do not descend into other file systems")
    private boolean oneFilesystem;

    @UriParam(label = "advanced,trickle", defaultValue = "262144",
            description = "Trickle (fscan's trickle mode, and fswatch's over directories no kernel watch covers): most bytes of content read per second")
    private long byteRate = TrickleOptions.defaults().byteRate();

    @UriParam(label = "advanced,trickle", defaultValue = "50",
            description = "Trickle (fscan's trickle mode, and fswatch's over directories no kernel watch covers): most entries checked per second")
    private double fileRate = TrickleOptions.defaults().fileRate();

    /**
     * The defaults of the {@code vigil.files.*} keys named as the options ({@code vigil.files.areas},
     * {@code vigil.files.noInode}, ...; the trickle's pace under {@code vigil.files.trickle.}). A key left empty
     * keeps the option's default.
     */
    public static FileAreas fromConfiguration(CamelContext context) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String prefix : KEY_PREFIXES) {
            Beans.configuration(context, k -> k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0).forEach((key, v) -> {
                if (!v.isEmpty()) {
                    values.put(key.substring(prefix.length()), v);
                }
            });
        }
        FileAreas areas = new FileAreas();
        PropertyBindingSupport.build().withCamelContext(context).withTarget(areas).withIgnoreCase(true).withProperties(values).bind();
        return areas;
    }

    /** An endpoint's own copy, so its URI options do not change the component's defaults. */
    public FileAreas copy() {
        try {
            return (FileAreas) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public List<String> areaList() {
        return Beans.list(areas);
    }

    /** How files are read and hashed, with Vigil's own files left out. */
    public ScanOptions scanOptions(CamelContext context) {
        return ScanOptions.defaults().withAlgorithm(HashAlgorithm.named(hash))
                .withExcludes(Beans.excludes(context, excludes)).withOneFilesystem(oneFilesystem);
    }

    public PathPolicy pathPolicy(CamelContext context) {
        return Beans.pathPolicy(context, noInode, noTime, growing);
    }

    public PathGlobs criticalGlobs() {
        return new PathGlobs(Beans.list(critical));
    }

    public String getAreas() {
        return areas;
    }

    public void setAreas(String areas) {
        this.areas = areas;
    }

    public String getExcludes() {
        return excludes;
    }

    public void setExcludes(String excludes) {
        this.excludes = excludes;
    }

    public String getNoInode() {
        return noInode;
    }

    public void setNoInode(String noInode) {
        this.noInode = noInode;
    }

    public String getNoTime() {
        return noTime;
    }

    public void setNoTime(String noTime) {
        this.noTime = noTime;
    }

    public String getGrowing() {
        return growing;
    }

    public void setGrowing(String growing) {
        this.growing = growing;
    }

    public String getCritical() {
        return critical;
    }

    public void setCritical(String critical) {
        this.critical = critical;
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

    public long getByteRate() {
        return byteRate;
    }

    public void setByteRate(long byteRate) {
        this.byteRate = byteRate;
    }

    public double getFileRate() {
        return fileRate;
    }

    public void setFileRate(double fileRate) {
        this.fileRate = fileRate;
    }
}
