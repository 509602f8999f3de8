package dev.vigil.camel.collect;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One poll of the reports topic, checked ({@link FleetRecords#poll}): the quarantine rows of the records that failed,
 * the findings rows of each report by the id it is processed under ({@link FleetRecords#processedId}: a report id and
 * host twice in one poll count once), and the commit of the
 * last record of each partition the poll read from. Not a record: the routes read it through the simple language
 * ({@code ${body.findings}}), whose bean cache is keyed by the object called, and a record's hash walks every row
 * of the poll at each such step (about a tenth of the consumer thread's samples in a flood; bench/README.md).
 */
public final class FleetPoll {

    private final List<Map<String, Object>> quarantined;
    private final Map<String, List<Map<String, Object>>> reports;
    private final Collection<KafkaManualCommit> commits;

    public FleetPoll(List<Map<String, Object>> quarantined, Map<String, List<Map<String, Object>>> reports,
                     Collection<KafkaManualCommit> commits) {
        this.quarantined = quarantined;
        this.reports = reports;
        this.commits = commits;
    }

    /** The quarantine rows of the records that failed their checks. */
    public List<Map<String, Object>> quarantined() {
        return quarantined;
    }

    /** The findings rows of each report, by the id it is processed under, in the order the reports came. */
    public Map<String, List<Map<String, Object>>> reports() {
        return reports;
    }

    /** The commit of each partition's last record in the poll. */
    public Collection<KafkaManualCommit> commits() {
        return commits;
    }

    /** Whether the poll carries a report (it may carry only quarantined records). */
    public boolean hasReports() {
        return !reports.isEmpty();
    }

    /** The ids the poll's reports are processed under, for the look-up of those already processed. */
    public List<String> processedIds() {
        return List.copyOf(reports.keySet());
    }

    /** The findings rows of the poll's reports, in the order the reports came. */
    public List<Map<String, Object>> findings() {
        List<Map<String, Object>> rows = new ArrayList<>();
        reports.values().forEach(rows::addAll);
        return rows;
    }
}
