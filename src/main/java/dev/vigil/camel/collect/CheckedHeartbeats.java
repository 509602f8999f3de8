package dev.vigil.camel.collect;

import java.util.List;
import java.util.Map;

/**
 * A poll of the heartbeats topic, checked ({@link FleetRecords#checkHeartbeats}): its failed records, stored and
 * forwarded as a failed part of the reports topic is, and the hosts rows of its heartbeats in the order they came,
 * each with the partition and offset it was read from. Not a record, as {@link CheckedRecords} is not.
 */
public final class CheckedHeartbeats {

    private final CheckedRecords failed;
    private final List<Map<String, Object>> heartbeats;

    public CheckedHeartbeats(CheckedRecords failed, List<Map<String, Object>> heartbeats) {
        this.failed = failed;
        this.heartbeats = heartbeats;
    }

    /** The records that failed their checks: quarantine rows and REJECTED, no reports. */
    public CheckedRecords failed() {
        return failed;
    }

    /** The hosts rows of the heartbeats, in the order they came. */
    public List<Map<String, Object>> heartbeats() {
        return heartbeats;
    }
}
