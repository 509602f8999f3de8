package dev.vigil.fim;

import java.util.Set;

/**
 * What an entry deviates to, as one string: the rule "report a deviation once" for every checker (the full check,
 * the trickle, the watch), which report a deviation whose fingerprint differs from the one last reported and stay
 * quiet otherwise. It leaves out what the path policy does not compare (the times under {@code notime}, the
 * inode under {@code noinode}), so an entry rewritten with the same deviating content is the same deviation.
 *
 * <p>An entry ADDED and not yet accepted is one finding: its times, and a directory's size and link count (which
 * follow what is made in it, reported entry by entry), are left out too, so 600 files created in a new directory
 * do not report it 600 times; new content, owner, permissions or type of an added entry is a new state and
 * reported again.
 */
public final class DeviationFingerprint {

    private final PathPolicy policy;

    public DeviationFingerprint(PathPolicy policy) {
        this.policy = policy;
    }

    public String of(Change c) {
        FileRecord state = c.after();
        if (state == null) {
            return ChangeKind.DELETED.name();
        }
        Set<Attribute> ignored = policy.ignored(c.path());
        StringBuilder out = new StringBuilder(c.kind().name());
        for (Attribute a : Attribute.values()) {
            if (!ignored.contains(a) && (c.kind() != ChangeKind.ADDED || !movesByItself(a, state))) {
                out.append('|').append(a.print(state));
            }
        }
        if (c.reason() != null) {
            out.append('|').append(c.reason());
        }
        return out.toString();
    }

    private static boolean movesByItself(Attribute a, FileRecord state) {
        return a == Attribute.MTIME || a == Attribute.CTIME
                || state.type() == EntryType.DIRECTORY && (a == Attribute.SIZE || a == Attribute.LINKS);
    }
}
