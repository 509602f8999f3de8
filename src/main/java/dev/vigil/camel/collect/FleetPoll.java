package dev.vigil.camel.collect;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One poll of the reports topic, checked ({@link FleetRecords#poll}): the quarantine rows of the records that failed,
 * the findings rows of each report by report id (a report id twice in one poll counts once), and the commit of the
 * last record of each partition the poll read from.
 */
public record FleetPoll(List<Map<String, Object>> quarantined, Map<String, List<Map<String, Object>>> reports,
                        Collection<KafkaManualCommit> commits) {

    /** The poll's report ids, for the look-up of those already processed. */
    public List<String> reportIds() {
        return List.copyOf(reports.keySet());
    }

    /** The findings rows of the poll's reports, in the order the reports came. */
    public List<Map<String, Object>> findings() {
        List<Map<String, Object>> rows = new ArrayList<>();
        reports.values().forEach(rows::addAll);
        return rows;
    }
}
