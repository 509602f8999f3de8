package dev.vigil.camel.collect;

import dev.vigil.fleet.BudgetedConsumer;
import dev.vigil.fleet.GuardedConsumer;
import dev.vigil.fleet.UnreadableRecords;
import dev.vigil.store.PrivateFiles;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The collector's consumers' client factory ({@code kafkaClientFactory} of the kafka: endpoints of
 * routes/collect/fleet.yaml): after a stop that was not clean, each a {@link GuardedConsumer}, sharing one
 * {@link UnreadableRecords}. Whether the last
 * run stopped cleanly is a file beside the collector's database, {@code DATABASE.consuming}: made as the collector
 * starts, removed by its clean stop ({@link #stopped}). Found at start, the last run ended otherwise (killed, or out
 * of memory in a poll), and the partitions given to this one are probed before they are read.
 */
public final class GuardedKafkaClients extends DefaultKafkaClientFactory {

    private final Path consuming;
    /** The records the careful consumers share what they found of; null after a clean stop, when none are made. */
    private final UnreadableRecords unreadable;

    public GuardedKafkaClients(Path database, int maxRecord) {
        this.consuming = database.resolveSibling(database.getFileName() + ".consuming");
        this.unreadable = Files.exists(consuming) ? new UnreadableRecords(maxRecord) : null;
        try {
            PrivateFiles.createIfAbsent(consuming);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + consuming, e);
        }
    }

    /**
     * A {@link GuardedConsumer} after a stop that was not clean; otherwise a {@link BudgetedConsumer}, whose polls
     * hold {@link BudgetedConsumer#BUDGET} bytes at most, as the guarded one's do.
     */
    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return unreadable != null ? new GuardedConsumer(kafkaProps, unreadable, BudgetedConsumer.BUDGET)
                : new BudgetedConsumer(kafkaProps, BudgetedConsumer.BUDGET);
    }

    /** The collector stopped cleanly: the next one reads its partitions as they come. */
    public void stopped() {
        try {
            Files.deleteIfExists(consuming);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
