package dev.vigil.fim;

/** What kind of file system object an entry is, from the {@code S_IFMT} bits of its mode. */
public enum EntryType {
    FILE(0100000, "regular file"),
    DIRECTORY(0040000, "directory"),
    SYMLINK(0120000, "symbolic link"),
    FIFO(0010000, "FIFO"),
    SOCKET(0140000, "socket"),
    CHAR_DEVICE(0020000, "character device"),
    BLOCK_DEVICE(0060000, "block device");

    private static final int S_IFMT = 0170000;

    private final int bits;
    private final String label;

    EntryType(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    public static EntryType fromMode(int mode) {
        for (EntryType t : values()) {
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
}
