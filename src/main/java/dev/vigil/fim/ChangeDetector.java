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

    /** {@link Attribute#values()}, which copies its array at each call. */
    private static final Attribute[] ATTRIBUTES = Attribute.values();

    private static final Set<Attribute> CONTENT = EnumSet.of(Attribute.TYPE, Attribute.HASH, Attribute.SIZE, Attribute.TARGET);

    /** What may differ when a file under the growing policy has only grown. */
    private static final Set<Attribute> GROWTH = EnumSet.of(Attribute.SIZE, Attribute.HASH, Attribute.MTIME, Attribute.CTIME);

    private final PathPolicy policy;
    private final Excludes excludes;
    private final HashAlgorithm algorithm;

    /** Compares records only: ignore files are not judged (a plain scan's comparison). */
    public ChangeDetector(PathPolicy policy) {
        this(policy, Excludes.none(), null);
    }

    /**
     * Also reports each ignore file {@code excludes} refused (as last read) as UNTRUSTED_IGNORE, changed or not,
     * and reads the old part of a grown file under the growing policy with {@code algorithm}, the baseline's
     * (null: a file that grew has deviated, as on any other path).
     */
    public ChangeDetector(PathPolicy policy, Excludes excludes, HashAlgorithm algorithm) {
        this.policy = policy;
        this.excludes = excludes;
        this.algorithm = algorithm;
    }

    /**
     * Merges both sides and reports every difference. {@code complete} is called for each current entry
     * whose baseline twin is known (or null) before comparing, so a quick check can fill in a hash it skipped; an
     * entry that {@linkplain BaselineStore.Rows#matches matches} its row's quick key is unchanged, and neither is
     * read further (unless it is an ignore file, which is judged each time).
     */
    public void diff(BaselineStore.Rows baseline, Iterator<FileRecord> current,
                     CompletionStep complete, Consumer<Change> out) {
        diff(baseline, Current.of(current), complete, out);
    }

    /**
     * As {@link #diff(BaselineStore.Rows, Iterator, CompletionStep, Consumer)}, where the current side may hand out a
     * run of entries known to be as in the baseline: the baseline's rows before it are gone, and its own are passed over
     * unread.
     */
    public void diff(BaselineStore.Rows baseline, Current current, CompletionStep complete, Consumer<Change> out) {
        boolean b = baseline.advance();
        boolean more = current.advance();
        while (b || more) {
            FileRecord c = more ? current.entry() : null;
            if (c == null && more) {
                byte[] first = current.runFirst();
                while (b && Arrays.compareUnsigned(baseline.path(), first) < 0) {
                    out.accept(change(baseline.record(), null));
                    b = baseline.advance();
                }
                b = b && baseline.skipThrough(current.runLast());
                more = current.advance();
                continue;
            }
            int order = !b ? 1 : c == null ? -1 : Arrays.compareUnsigned(baseline.path(), c.path());
            Change change;
            if (order < 0) {
                change = change(baseline.record(), null);
                b = baseline.advance();
            } else if (order > 0) {
                change = change(null, complete.apply(null, c));
                more = current.advance();
            } else {
                change = baseline.matches(c) && excludes.refusal(c.path()) == null ? null
                        : change(baseline.record(), complete.apply(baseline.record(), c));
                b = baseline.advance();
                more = current.advance();
            }
            if (change != null) {
                out.accept(change);
            }
        }
    }

    /**
     * The current side of a merge, in path order: entries, and runs of entries already known to be as in the baseline
     * (a quick check's walk, {@link OrderedWalk}, makes them of directories whose listing digest is as kept).
     */
    public interface Current {
        /** Moves to the next entry or run; false once there is none. */
        boolean advance();

        /** The entry moved to; null at a run. */
        FileRecord entry();

        /** At a run, the path of its first entry: the baseline's rows from it to {@link #runLast} are its entries. */
        byte[] runFirst();

        /** At a run, the path of its last entry. */
        byte[] runLast();

        /** {@code entries} as a current side without runs. */
        static Current of(Iterator<FileRecord> entries) {
            return new Current() {
                private FileRecord entry;

                @Override
                public boolean advance() {
                    entry = entries.hasNext() ? entries.next() : null;
                    return entry != null;
                }

                @Override
                public FileRecord entry() {
                    return entry;
                }

                @Override
                public byte[] runFirst() {
                    throw new IllegalStateException("not at a run");
                }

                @Override
                public byte[] runLast() {
                    throw new IllegalStateException("not at a run");
                }
            };
        }
    }

    /**
     * The change from {@code before} (null: not in the baseline) to {@code after} (null: gone), or null if there is
     * none; an ignore file that is not applied is UNTRUSTED_IGNORE even when it is as in the baseline.
     */
    public Change change(FileRecord before, FileRecord after) {
        if (after == null) {
            return before == null ? null : new Change(before.path(), ChangeKind.DELETED, before, null, List.of());
        }
        String refusal = excludes.refusal(after.path());
        if (refusal != null) {
            List<Attribute> differing = before == null ? List.of() : differing(before, after);
            return new Change(after.path(), ChangeKind.UNTRUSTED_IGNORE, before, after, differing, refusal);
        }
        return before == null ? new Change(after.path(), ChangeKind.ADDED, null, after, List.of()) : compare(before, after);
    }

    /** The change between two records of the same path, or null if they agree on every compared attribute. */
    public Change compare(FileRecord before, FileRecord after) {
        List<Attribute> differing = differing(before, after);
        if (differing.isEmpty() || onlyGrew(before, after, differing)) {
            return null;
        }
        boolean content = differing.stream().anyMatch(CONTENT::contains);
        return new Change(after.path(), content ? ChangeKind.MODIFIED : ChangeKind.ATTRIBUTES, before, after, differing);
    }

    /**
     * Whether a file under the growing policy only grew: nothing but its size, content and times differ, it is no
     * shorter, and its first {@code before.size()} bytes still have the baseline's digest (read again now: a
     * rewrite of the old part that also appends is a modification). A file that cannot be read has deviated.
     */
    private boolean onlyGrew(FileRecord before, FileRecord after, List<Attribute> differing) {
        if (algorithm == null || !policy.growing(after.path()) || before.type() != EntryType.FILE
                || after.type() != EntryType.FILE || before.hash() == null || after.size() < before.size()
                || !GROWTH.containsAll(differing)) {
            return false;
        }
        try {
            return before.hash().equals(new Hasher(algorithm).hashPrefix(after.path(), before.size()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The compared attributes that differ, in table order. The path's policy is looked up only once one differs:
     * a check compares every entry, and nearly all agree on everything.
     */
    private List<Attribute> differing(FileRecord before, FileRecord after) {
        Set<Attribute> ignored = null;
        List<Attribute> differing = List.of();
        for (Attribute a : ATTRIBUTES) {
            if (a.differs(before, after)) {
                if (ignored == null) {
                    ignored = policy.ignored(after.path());
                    differing = new ArrayList<>();
                }
                if (!ignored.contains(a)) {
                    differing.add(a);
                }
            }
        }
        return differing;
    }

    /** Fills in what a current record lacks given its baseline twin (which may be null). */
    @FunctionalInterface
    public interface CompletionStep {
        FileRecord apply(FileRecord baseline, FileRecord current);

        static CompletionStep none() {
            return (b, c) -> c;
        }
    }

}
