package dev.vigil.watch;

import dev.vigil.os.PathBytes;
import dev.vigil.os.ByteKey;
import dev.vigil.os.Libc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The parser of what a read of a fanotify group in FID mode returns: event records (length, mask, pid) each
 * followed by info records, of which the FID record names the object by its file handle and the DFID_NAME,
 * OLD_DFID_NAME and NEW_DFID_NAME records name a directory by its handle and an entry in it. It only takes the
 * bytes apart; naming directories is {@link DirectoryHandles}'s work, and what an event means the source's.
 */
final class FanotifyRecords {

    private static final int METADATA_LENGTH = 24;

    /**
     * A directory handle and an entry name, as offsets into {@code batch} (valid until the next read): {@code dir}
     * is the key of the directory (filesystem id, handle type and handle), {@code handleOffset} and
     * {@code handleLength} the struct file_handle open_by_handle_at takes, and the name lies from
     * {@code nameStart} to {@code nameEnd}.
     */
    record DirName(ByteKey dir, long fsid, byte[] batch, int handleOffset, int handleLength, int nameStart,
                   int nameEnd) {

        /** The path of the entry in {@code directory}, the path of the directory; "." names the directory itself. */
        Path in(Path directory) {
            return nameEnd - nameStart == 1 && batch[nameStart] == '.' ? directory
                    : PathBytes.child(directory, batch, nameStart, nameEnd - nameStart);
        }
    }

    /**
     * One event: its mask and process, the handle of the object (null without a FID record) and its directory
     * names: {@code plain} for most events, {@code oldName} and {@code newName} for a RENAME.
     */
    record Event(long mask, int pid, ByteKey object, DirName plain, DirName oldName, DirName newName) {
    }

    /** What a batch holds, in order. */
    interface Events {
        /** The kernel's queue overflowed: events were dropped. */
        void overflow();

        void event(Event event);
    }

    private FanotifyRecords() {
    }

    /** Parses {@code length} bytes of {@code batch}; a record cut short or malformed ends the batch. */
    static void parse(byte[] batch, int length, Events out) {
        ByteBuffer buf = ByteBuffer.wrap(batch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        while (off + METADATA_LENGTH <= length) {
            int eventLength = buf.getInt(off);
            if (eventLength < METADATA_LENGTH || off + eventLength > length) {
                break;
            }
            int metadataLength = buf.getShort(off + 6) & 0xffff;
            long mask = buf.getLong(off + 8);
            if ((mask & Libc.FAN_Q_OVERFLOW) != 0) {
                out.overflow();
            } else {
                out.event(event(batch, buf, off + metadataLength, off + eventLength, mask, buf.getInt(off + 20)));
            }
            off += eventLength;
        }
    }

    private static Event event(byte[] batch, ByteBuffer buf, int start, int end, long mask, int pid) {
        ByteKey object = null;
        DirName plain = null;
        DirName oldName = null;
        DirName newName = null;
        for (int i = start; i + 4 <= end; ) {
            int type = batch[i] & 0xff;
            int recordLength = buf.getShort(i + 2) & 0xffff;
            if (recordLength < 4 || i + recordLength > end) {
                break;
            }
            if (type == Libc.FAN_EVENT_INFO_TYPE_FID || type == Libc.FAN_EVENT_INFO_TYPE_DFID_NAME
                    || type == Libc.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME || type == Libc.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME) {
                int handleBytes = buf.getInt(i + 12);
                int keyEnd = i + 20 + handleBytes;
                ByteKey key = ByteKey.copyOf(batch, i + 4, keyEnd - (i + 4));
                if (type == Libc.FAN_EVENT_INFO_TYPE_FID) {
                    object = key;
                } else {
                    int nameEnd = keyEnd;
                    while (nameEnd < i + recordLength && batch[nameEnd] != 0) {
                        nameEnd++;
                    }
                    DirName named = new DirName(key, buf.getLong(i + 4), batch, i + 12, 8 + handleBytes, keyEnd, nameEnd);
                    if (type == Libc.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME) {
                        oldName = named;
                    } else if (type == Libc.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME) {
                        newName = named;
                    } else {
                        plain = named;
                    }
                }
            }
            i += recordLength;
        }
        return new Event(mask, pid, object, plain, oldName, newName);
    }
}
