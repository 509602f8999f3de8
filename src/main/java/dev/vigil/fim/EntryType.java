package dev.vigil.fim;

/** What kind of file system object an entry is, from the {@code S_IFMT} bits of its mode. */
public enum EntryType {
    FILE(0100000, "regular file", '-'),
    DIRECTORY(0040000, "directory", 'd'),
    SYMLINK(0120000, "symbolic link", 'l'),
    FIFO(0010000, "FIFO", 'p'),
    SOCKET(0140000, "socket", 's'),
    CHAR_DEVICE(0020000, "character device", 'c'),
    BLOCK_DEVICE(0060000, "block device", 'b');

    private static final int S_IFMT = 0170000;
    /** {@link #values()}, which copies its array at each call: a walk types every entry. */
    private static final EntryType[] TYPES = values();

    private final int bits;
    private final String label;
    private final char letter;

    EntryType(int bits, String label, char letter) {
        this.bits = bits;
        this.label = label;
        this.letter = letter;
    }

    public static EntryType fromMode(int mode) {
        for (EntryType t : TYPES) {
            if ((mode & S_IFMT) == t.bits) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown file type in mode " + Integer.toOctalString(mode));
    }

    /** Only regular files are ever opened: FIFOs, sockets and devices could block or never end. */
    public boolean hasContent() {
        return this == FILE;
    }

    /** The {@code S_IFMT} bits of this type. */
    public int modeBits() {
        return bits;
    }

    public String label() {
        return label;
    }

    /** The letter {@code ls -l} (and AIDE) puts before the permissions. */
    public char letter() {
        return letter;
    }
}
