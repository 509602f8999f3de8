package dev.vigil.camel;

import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * What {@code fscan:} and {@code fswatch:} share as components: the {@link FileAreas} every endpoint of theirs starts
 * from (set from the {@code vigil.files.*} keys, or as {@code camel.component.NAME.configuration.*}).
 */
public abstract class FileAreasComponent extends DefaultComponent {

    @Metadata(description = "The areas and their comparison rules every endpoint of this component starts from")
    private FileAreas configuration = new FileAreas();

    public FileAreas getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FileAreas configuration) {
        this.configuration = configuration;
    }
}
