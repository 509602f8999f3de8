package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A walk of one tree that hands out its entries in raw-byte path order, the order the baseline is read in, so a
 * check merges the walk straight against the baseline without staging it anywhere. Worker threads list
 * directories (stat-ing, and hashing if the scan hashes, their entries) ahead of the reader; the reader lists a
 * directory itself when it needs one no worker has begun. About {@link #AHEAD} listed entries at most wait for
 * the reader ({@link #AHEAD_STAT_ONLY} in a walk that does not hash; a worker checks before each directory it
 * begins), and what the reader has read is let go at once, so memory does not grow with the tree. Closing the
 * walk stops the workers once they finish the directory they are listing.
 *
 * <p>Path order is not the order of a depth-first walk: {@code a-b/x} sorts before {@code a/x} because '-'
 * sorts before '/'. Within a directory, each entry is therefore placed by its path and the entries below a
 * subdirectory {@code d} as one block placed by {@code d/}, which is exactly where they fall in path order.
 */
public final class OrderedWalk implements ChangeDetector.Current, AutoCloseable {

    /**
     * The fewest entries of a directory known unchanged that are handed out as one run: a run costs the baseline's
     * read a seek, a few entries compared one by one cost less.
     */
    static final int RUN = 8;

    /** The baseline's listing digests, asked for by key in increasing order ({@link BaselineStore.Rows#listing}). */
    @FunctionalInterface
    public interface KeptListings {
        byte[] digest(byte[] key);
    }

    /** Listed entries that may wait for the reader: some tens of megabytes of records, enough that the workers keep hashing while the reader waits for a directory of large files. */
    static final int AHEAD = 65_536;
    /**
     * The lead of a walk that only stats (a quick check): a directory is listed in microseconds, so a few thousand
     * entries keep the reader fed. A lead of {@link #AHEAD} there was live data at every young collection, copied
     * and promoted: most of the collector's time in a quick check (bench/README.md, scale).
     */
    static final int AHEAD_STAT_ONLY = 4_096;

    private final Scanner scanner;
    private final Scanner.Sink sink;
    private final ScanStats stats;
    private final long rootDevice;
    /** {@link #AHEAD} or {@link #AHEAD_STAT_ONLY}. */
    private final int lead;
    /** Null: no runs, every entry is handed out. */
    private final KeptListings kept;

    /** Directories no one has begun to list, those the reader will want soonest first. Guarded by itself. */
    private final Deque<Directory> pending = new ArrayDeque<>();
    /** Entries listed and not yet taken by the reader. Guarded by {@link #pending}. */
    private int ahead;
    private boolean closed;

    /**
     * The reader's position: for each directory it is in, what remains of it. Items are taken out as they are
     * read, so what was read is garbage at once and only what is still ahead is held.
     */
    private final Deque<ArrayDeque<Item>> position = new ArrayDeque<>();
    /** What {@link #advance()} moved to. */
    private Item at;

    /** Walks {@code root} (which is absolute and normalised) with {@code scanner}'s options. */
    public OrderedWalk(Scanner scanner, Path root, Scanner.Sink sink, ScanStats stats) {
        this(scanner, root, sink, stats, null);
    }

    /**
     * As {@link #OrderedWalk(Scanner, Path, Scanner.Sink, ScanStats)}, a quick check's walk (it does not hash): each
     * directory's listing digest ({@link ListingDigest}) is made as it is listed and compared, when the reader comes
     * to it, with the one {@code kept} has; where they are equal, {@link #advance()} hands out each stretch of at least
     * {@link #RUN} of its entries (those between its subdirectories' entries) as one run. A directory with an ignore
     * file is never passed over: the file is judged at every check.
     */
    public OrderedWalk(Scanner scanner, Path root, Scanner.Sink sink, ScanStats stats, KeptListings kept) {
        this.scanner = scanner;
        this.kept = kept;
        this.sink = sink;
        this.stats = stats;
        this.lead = scanner.options().hashContent() ? AHEAD : AHEAD_STAT_ONLY;
        FileRecord r = scanner.root(PathBytes.of(root), sink, stats);
        this.rootDevice = r == null ? 0 : r.device();
        if (r == null) {
            return;
        }
        ArrayDeque<Item> top = new ArrayDeque<>(List.of(Item.entry(r)));
        if (r.type() == EntryType.DIRECTORY) {
            Directory dir = new Directory(r);
            top.add(Item.block(dir));
            pending.add(dir);
            for (int i = 0; i < Math.max(1, scanner.options().threads()); i++) {
                Thread worker = new Thread(this::work, "vigil-walk-" + i);
                worker.setDaemon(true);
                worker.start();
            }
        }
        position.push(top);
    }

    /** Moves to the next entry, or run (only where listings are compared); false once there is none. */
    @Override
    public boolean advance() {
        at = nextItem();
        return at != null;
    }

    @Override
    public FileRecord entry() {
        return at.record();
    }

    @Override
    public byte[] runFirst() {
        return at.key();
    }

    @Override
    public byte[] runLast() {
        return at.last();
    }

    /** Stops the workers once they finish the directory they are listing. */
    @Override
    public void close() {
        synchronized (pending) {
            closed = true;
            pending.notifyAll();
        }
    }

    /** The next entry or run; null at the end. */
    private Item nextItem() {
        while (!position.isEmpty()) {
            Item item = position.peek().poll();
            if (item == null) {
                position.pop();
                continue;
            }
            if (item.directory() == null) {
                return item;
            }
            Directory dir = item.directory();
            ArrayDeque<Item> inside = dir.take();
            synchronized (pending) {
                ahead -= inside.size();
                pending.notifyAll();
            }
            if (kept != null) {
                // asked for every directory, in key order, so the kept listings are read forward once
                byte[] keptDigest = kept.digest(ListingDigest.key(dir.record.path()));
                if (keptDigest != null && Arrays.equals(keptDigest, dir.listingDigest)) {
                    inside = runs(inside);
                }
            }
            position.push(inside);
        }
        return null;
    }

    /** {@code items} with each stretch of at least {@link #RUN} entries between blocks made one run. */
    private static ArrayDeque<Item> runs(ArrayDeque<Item> items) {
        ArrayDeque<Item> out = new ArrayDeque<>();
        List<Item> stretch = new ArrayList<>();
        for (Item item : items) {
            if (item.record() != null) {
                stretch.add(item);
                continue;
            }
            endStretch(stretch, out);
            out.add(item);
        }
        endStretch(stretch, out);
        return out;
    }

    private static void endStretch(List<Item> stretch, ArrayDeque<Item> out) {
        if (stretch.size() >= RUN) {
            out.add(Item.run(stretch.get(0).key(), stretch.get(stretch.size() - 1).key()));
        } else {
            out.addAll(stretch);
        }
        stretch.clear();
    }

    private void work() {
        while (true) {
            Directory dir;
            synchronized (pending) {
                while (!closed && (pending.isEmpty() || ahead >= lead)) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                dir = pending.pollFirst();
            }
            dir.list();
        }
    }

    /**
     * An entry; the block of entries below a directory (then {@code record} is null); or a run of entries known
     * unchanged, from {@code key} to {@code last} (then both {@code record} and {@code directory} are). Placed by
     * {@code key}.
     */
    private record Item(byte[] key, FileRecord record, Directory directory, byte[] last) {
        static Item entry(FileRecord record) {
            return new Item(record.path(), record, null, null);
        }

        static Item block(Directory directory) {
            byte[] raw = directory.record.path();
            byte[] key = Arrays.copyOf(raw, raw.length + 1);
            key[raw.length] = '/';
            return new Item(key, null, directory, null);
        }

        static Item run(byte[] first, byte[] last) {
            return new Item(first, null, null, last);
        }
    }

    /** A directory to list, once, by whichever thread comes first. */
    private final class Directory {
        private final FileRecord record;
        private final AtomicBoolean begun = new AtomicBoolean();
        /** Null until listed, and again once the reader has taken them. */
        private ArrayDeque<Item> entries;
        /** Made as it is listed, when the walk compares listings: null if it cannot be (see {@link ListingDigest#of}). */
        private byte[] listingDigest;
        private boolean listed;
        private Throwable failure;

        Directory(FileRecord record) {
            this.record = record;
        }

        /** Lists this directory unless another thread has begun to. */
        void list() {
            if (!begun.compareAndSet(false, true)) {
                return;
            }
            List<Item> items = List.of();
            Throwable failed = null;
            try {
                List<Directory> below = new ArrayList<>();
                List<Scanner.Listed> children = scanner.children(record, rootDevice, sink, stats);
                // an item for each entry and one for each subdirectory's block: a leaf directory's list never grows
                items = new ArrayList<>(children.size() + 1);
                for (Scanner.Listed child : children) {
                    items.add(Item.entry(child.record()));
                    if (child.descend()) {
                        Directory d = new Directory(child.record());
                        items.add(Item.block(d));
                        below.add(d);
                    }
                }
                items.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
                if (kept != null) {
                    listingDigest = listingDigest(items);
                }
                below.sort((a, b) -> Arrays.compareUnsigned(b.record.path(), a.record.path()));
                synchronized (pending) {
                    ahead += items.size();
                    below.forEach(pending::addFirst);
                    pending.notifyAll();
                }
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            synchronized (this) {
                entries = new ArrayDeque<>(items);
                listed = true;
                failure = failed;
                notifyAll();
            }
        }

        /** The digest of the entries of {@code items} (in path order); null if one is an ignore file, or has an error. */
        private byte[] listingDigest(List<Item> items) {
            List<FileRecord> entries = new ArrayList<>(items.size());
            for (Item item : items) {
                if (item.record() != null) {
                    if (Excludes.isIgnoreFile(item.record().path())) {
                        return null;
                    }
                    entries.add(item.record());
                }
            }
            return ListingDigest.of(ListingDigest.key(record.path()), entries, true);
        }

        /** Takes the directory's entries in path order, listing it now if no worker has begun to. */
        ArrayDeque<Item> take() {
            list();
            ArrayDeque<Item> taken;
            synchronized (this) {
                while (!listed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while walking " + record.displayPath(), e);
                    }
                }
                taken = entries;
                entries = null;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return taken;
        }
    }
}
