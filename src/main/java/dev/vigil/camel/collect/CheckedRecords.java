package dev.vigil.camel.collect;

import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A part of a poll of the reports topic, checked ({@link FleetRecords#check}), or the failed records of a poll of the
 * heartbeats topic ({@link CheckedHeartbeats#failed}): the quarantine rows of the records that failed with the
 * findings rows of their REJECTED (one each; {@link FleetRecords#bounded} then leaves out those a poll read again has
 * stored before and counts those beyond the quarantine's bound in overflow rows, each with a REJECTED of its own), and
 * the findings rows of each report
 * by the id it is processed under ({@link FleetRecords#processedId}: a report id and host twice in one part count
 * once; in two parts of one poll, the second finds it processed). Not a record: the routes read it through the simple
 * language ({@code ${body.findings}}), whose bean cache is keyed by the object called, and a record's hash walks every
 * row at each such step (about a tenth of the consumer thread's samples in a flood; bench/README.md).
 */
public final class CheckedRecords {

    private final List<Map<String, Object>> quarantined;
    private final List<Map<String, Object>> rejected;
    private final Map<String, List<Map<String, Object>>> reports;
    private final List<Map<String, Object>> overflow;
    private final Map<String, Exchange> records;

    public CheckedRecords(List<Map<String, Object>> quarantined, List<Map<String, Object>> rejected,
                          Map<String, List<Map<String, Object>>> reports) {
        this(quarantined, rejected, reports, List.of(), Map.of());
    }

    /**
     * @param records each report's record, by the id it is processed under: a report stored nowhere yet may still be
     *                quarantined ({@link FleetRecords#unprocessed}: its host's share of the store)
     */
    public CheckedRecords(List<Map<String, Object>> quarantined, List<Map<String, Object>> rejected,
                          Map<String, List<Map<String, Object>>> reports, List<Map<String, Object>> overflow,
                          Map<String, Exchange> records) {
        this.quarantined = quarantined;
        this.rejected = rejected;
        this.reports = reports;
        this.overflow = overflow;
        this.records = records;
    }

    /** The record of each report, by the id it is processed under. */
    Map<String, Exchange> records() {
        return records;
    }

    /** The quarantine rows of the records that failed their checks. */
    public List<Map<String, Object>> quarantined() {
        return quarantined;
    }

    /** Whether any record failed its checks. */
    public boolean hasQuarantined() {
        return !quarantined.isEmpty();
    }

    /** The findings rows of the REJECTED of the records that failed, not yet known to be stored. */
    public List<Map<String, Object>> rejected() {
        return rejected;
    }

    /**
     * The quarantine_overflow rows of the failed records beyond the quarantine's bound, one a partition and hour
     * (their count, bytes and offsets; {@link FleetRecords#bounded}).
     */
    public List<Map<String, Object>> overflow() {
        return overflow;
    }

    /** Whether failed records were counted, not kept. */
    public boolean hasOverflow() {
        return !overflow.isEmpty();
    }

    /** The findings rows of each report, by the id it is processed under, in the order the reports came. */
    public Map<String, List<Map<String, Object>>> reports() {
        return reports;
    }

    /** Whether the records carry a report (they may carry only quarantined records). */
    public boolean hasReports() {
        return !reports.isEmpty();
    }

    /** The ids the reports are processed under, for the look-up of those already processed. */
    public List<String> processedIds() {
        return List.copyOf(reports.keySet());
    }

    /** The findings rows to store: the reports', in the order the reports came, then the REJECTED. */
    public List<Map<String, Object>> findings() {
        List<Map<String, Object>> rows = new ArrayList<>();
        reports.values().forEach(rows::addAll);
        rows.addAll(rejected);
        return rows;
    }
}
