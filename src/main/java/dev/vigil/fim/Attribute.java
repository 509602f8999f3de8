package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Every compared attribute of an entry, one row each (as AIDE's attribute table): its name in our JSON and
 * text output, the name AIDE reports it under, how it is read from a {@link FileRecord} and how it is
 * printed. Adding an attribute is adding a row.
 */
public enum Attribute {
    TYPE("type", "File type", object(FileRecord::type), v -> ((EntryType) v).label()),
    SIZE("size", "Size", number(FileRecord::size), String::valueOf),
    PERMISSIONS("permissions", "Perm", number(r -> r.mode() & 07777), v -> String.format("%04o", (Long) v)),
    UID("uid", "Uid", number(FileRecord::uid), String::valueOf),
    GID("gid", "Gid", number(FileRecord::gid), String::valueOf),
    INODE("inode", "Inode", number(FileRecord::inode), String::valueOf),
    LINKS("links", "Linkcount", number(FileRecord::links), String::valueOf),
    MTIME("mtime", "Mtime", number(FileRecord::mtimeNs), v -> formatNanos((Long) v)),
    CTIME("ctime", "Ctime", number(FileRecord::ctimeNs), v -> formatNanos((Long) v)),
    TARGET("target", "Lname", object(r -> r.target() == null ? null : PathBytes.escape(r.target())), v -> (String) v),
    HASH("hash", "SHA256", object(FileRecord::hash), v -> (String) v),
    CAPABILITIES("caps", "Caps", object(r -> r.xattrs().get(Xattrs.CAPABILITY)), v -> (String) v),
    XATTRS("xattrs", "XAttrs", object(Attribute::xattrsWithoutCapability), Attribute::formatXattrs);

    /**
     * How an attribute is read from a record: as an object, and for a number also as a primitive, which
     * {@link #differs} compares without boxing it (a check compares every attribute of every entry).
     */
    private record Reading(Function<FileRecord, Object> value, ToLongFunction<FileRecord> number) {
    }

    private static Reading object(Function<FileRecord, Object> value) {
        return new Reading(value, null);
    }

    private static Reading number(ToLongFunction<FileRecord> number) {
        return new Reading(number::applyAsLong, number);
    }

    private final String key;
    private final String aideName;
    private final Reading reading;
    private final Function<Object, String> printer;

    Attribute(String key, String aideName, Reading reading, Function<Object, String> printer) {
        this.key = key;
        this.aideName = aideName;
        this.reading = reading;
        this.printer = printer;
    }

    /** The name in JSON, NDJSON and text output. */
    public String key() {
        return key;
    }

    /** The name AIDE 0.18 gives this attribute in its change report. */
    public String aideName() {
        return aideName;
    }

    public Object read(FileRecord r) {
        return reading.value().apply(r);
    }

    /** The printed value, or {@code -} where the entry has none. */
    public String print(FileRecord r) {
        Object v = r == null ? null : read(r);
        return v == null ? "-" : printer.apply(v);
    }

    /**
     * The value as a person reads it in a report: {@link #print}, and for permissions the {@code ls -l} form
     * beside the octal, as AIDE shows them ({@code 4755 (-rwsr-xr-x)}).
     */
    public String show(FileRecord r) {
        return this == PERMISSIONS && r != null ? print(r) + " (" + symbolicMode(r.type(), r.mode()) + ")" : print(r);
    }

    public boolean differs(FileRecord a, FileRecord b) {
        ToLongFunction<FileRecord> number = reading.number();
        return number != null ? number.applyAsLong(a) != number.applyAsLong(b) : !Objects.equals(read(a), read(b));
    }

    /** {@code ls -l}'s ten characters: the type letter, then rwx for user, group and others with s/S, t/T. */
    static String symbolicMode(EntryType type, int mode) {
        char[] out = {type.letter(), 'r', 'w', 'x', 'r', 'w', 'x', 'r', 'w', 'x'};
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) == 0) {
                out[i + 1] = '-';
            }
        }
        special(out, 3, (mode & 04000) != 0, 's');
        special(out, 6, (mode & 02000) != 0, 's');
        special(out, 9, (mode & 01000) != 0, 't');
        return new String(out);
    }

    /** setuid, setgid or sticky shown in place of an execute bit: lower case over x, upper case over -. */
    private static void special(char[] out, int at, boolean set, char letter) {
        if (set) {
            out[at] = out[at] == 'x' ? letter : Character.toUpperCase(letter);
        }
    }

    static String formatNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    private static Object xattrsWithoutCapability(FileRecord r) {
        if (r.xattrs().isEmpty()) {
            return null;
        }
        Map<String, String> rest = new TreeMap<>(r.xattrs());
        rest.remove(Xattrs.CAPABILITY);
        return rest.isEmpty() ? null : rest;
    }

    @SuppressWarnings("unchecked")
    private static String formatXattrs(Object v) {
        StringBuilder out = new StringBuilder();
        ((Map<String, String>) v).forEach((name, value) -> {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(name).append('=').append(printable(value));
        });
        return out.toString();
    }

    /** Printable ASCII (a trailing NUL aside) is quoted, anything else stays base64. */
    private static String printable(String base64) {
        byte[] raw = Base64.getDecoder().decode(base64);
        int len = raw.length > 0 && raw[raw.length - 1] == 0 ? raw.length - 1 : raw.length;
        for (int i = 0; i < len; i++) {
            int c = raw[i] & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return base64;
            }
        }
        return '"' + new String(raw, 0, len, java.nio.charset.StandardCharsets.US_ASCII) + '"';
    }
}
