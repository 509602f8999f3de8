package dev.vigil.fim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compares a baseline with a current scan. Both sides arrive as iterators in raw-byte path order and are
 * merged in one pass, so neither tree is held in memory.
 */
public final class ChangeDetector {

    private static final Set<Attribute> CONTENT = EnumSet.of(Attribute.TYPE, Attribute.HASH, Attribute.SIZE, Attribute.TARGET);

    private final PathPolicy policy;

    public ChangeDetector(PathPolicy policy) {
        this.policy = policy;
    }

    /**
     * Merges both sides and reports every difference. {@code complete} is called for each current entry
     * whose baseline twin is known (or null) before comparing, so a quick check can fill in a hash it skipped.
     */
    public void diff(Iterator<FileRecord> baseline, Iterator<FileRecord> current,
                     CompletionStep complete, Consumer<Change> out) {
        FileRecord b = next(baseline);
        FileRecord c = next(current);
        while (b != null || c != null) {
            int order = b == null ? 1 : c == null ? -1 : Arrays.compareUnsigned(b.path(), c.path());
            if (order < 0) {
                out.accept(new Change(b.path(), ChangeKind.DELETED, b, null, List.of()));
                b = next(baseline);
            } else if (order > 0) {
                c = complete.apply(null, c);
                out.accept(new Change(c.path(), ChangeKind.ADDED, null, c, List.of()));
                c = next(current);
            } else {
                c = complete.apply(b, c);
                Change change = compare(b, c);
                if (change != null) {
                    out.accept(change);
                }
                b = next(baseline);
                c = next(current);
            }
        }
    }

    /** The change between two records of the same path, or null if they agree on every compared attribute. */
    public Change compare(FileRecord before, FileRecord after) {
        Set<Attribute> ignored = policy.ignored(after.path());
        List<Attribute> differing = new ArrayList<>();
        for (Attribute a : Attribute.values()) {
            if (!ignored.contains(a) && a.differs(before, after)) {
                differing.add(a);
            }
        }
        if (differing.isEmpty()) {
            return null;
        }
        boolean content = differing.stream().anyMatch(CONTENT::contains);
        return new Change(after.path(), content ? ChangeKind.MODIFIED : ChangeKind.ATTRIBUTES, before, after, differing);
    }

    /** Fills in what a current record lacks given its baseline twin (which may be null). */
    @FunctionalInterface
    public interface CompletionStep {
        FileRecord apply(FileRecord baseline, FileRecord current);

        static CompletionStep none() {
            return (b, c) -> c;
        }
    }

    private static FileRecord next(Iterator<FileRecord> it) {
        return it.hasNext() ? it.next() : null;
    }

}
