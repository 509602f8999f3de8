package dev.vigil.logcheck;

import java.util.regex.Pattern;

/**
 * A line handed to {@code java.util.regex} that gives up after a number of character reads. A pattern with
 * catastrophic backtracking ({@code ^(.*a){20}$}) can run for minutes on one line, and a running match can be
 * neither interrupted nor timed out; but every step of it reads the input through {@link #charAt}, so counting
 * those reads bounds it, and the same on a busy machine as on an idle one. Not thread-safe.
 */
final class BoundedText implements CharSequence {

    /**
     * Reads one pattern may make on one line: {@value #BASE_STEPS} plus {@value #STEPS_PER_CHAR} per char of the
     * line: a fraction of a second of matching at most, even on a line of 64 KiB (bench/README.md, "Figures kept
     * out of the code"). A sane rule reads a line a few
     * times at most; one with catastrophic backtracking reads it millions of times and hits the bound.
     */
    static final long BASE_STEPS = 1_000_000;
    static final long STEPS_PER_CHAR = 16;

    /** Thrown by {@link #charAt} when a match has used up its steps. */
    static final class TooSlow extends RuntimeException {
        TooSlow() {
            super(null, null, false, false);
        }
    }

    private static final TooSlow TOO_SLOW = new TooSlow();

    private String text = "";
    private long steps;
    private long maxSteps;

    /** Starts a new match on {@code line}: the count of steps starts again. */
    BoundedText on(String line) {
        text = line;
        steps = 0;
        maxSteps = BASE_STEPS + STEPS_PER_CHAR * line.length();
        return this;
    }

    /**
     * Whether {@code rule}'s {@code pattern} occurs in {@code line} within the bound: one too slow on the line, or
     * recursing too deep, counts as matching if the rule raises lines ({@link Category#raises}), as the classifier
     * counts it (which reports it).
     */
    static boolean find(Rule rule, Pattern pattern, String line) {
        try {
            return pattern.matcher(new BoundedText().on(line)).find();
        } catch (TooSlow | StackOverflowError undecided) {
            return rule.category().raises();
        }
    }

    @Override
    public char charAt(int index) {
        if (++steps > maxSteps) {
            throw TOO_SLOW;
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
