package dev.vigil.alert;

import java.util.Arrays;
import java.util.List;

/**
 * Event history row ids a gate keeps for its next report, as {@code long}s: 8 bytes a row where a boxed list takes
 * about 20, as a flood adds one for each finding it does not list or a later one replaced. Not thread-safe: its
 * gate's lock guards it.
 */
final class EventRows {

    private long[] rows = new long[16];
    private int size;

    void add(long row) {
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
        }
        rows[size++] = row;
    }

    int size() {
        return size;
    }

    /** Adds each row, in the order added, to {@code out}. */
    void addTo(List<Long> out) {
        for (int i = 0; i < size; i++) {
            out.add(rows[i]);
        }
    }

    void clear() {
        size = 0;
        if (rows.length > 16) {
            rows = new long[16];
        }
    }
}
