package dev.vigil.logcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick over a fixed set of literals: one pass over a line reports every literal it contains.
 *
 * <p>Hand-written because the JDK has none and the automaton is small: the transition table is a dense
 * deterministic one over an alphabet reduced to the characters the literals use (every other character
 * sends the scan back to the root), so a scan is one array read per character.
 */
final class LiteralScanner {

    private final int[] alphabet = new int[256];
    private final int width;
    private final int[] next;
    private final int[][] output;

    /** Builds the scanner; literal {@code i} is reported as {@code i}. Literals must be non-empty and Latin-1. */
    LiteralScanner(List<String> literals) {
        int symbols = 1;
        int maxStates = 1;
        for (String lit : literals) {
            maxStates += lit.length();
            for (int i = 0; i < lit.length(); i++) {
                char c = lit.charAt(i);
                if (alphabet[c] == 0) {
                    alphabet[c] = symbols++;
                }
            }
        }
        width = symbols;
        // the trie is built in place in the transition table; missing edges are filled in breadth-first
        int[] table = new int[maxStates * width];
        List<List<Integer>> own = new ArrayList<>();
        own.add(new ArrayList<>());
        int states = 1;
        for (int id = 0; id < literals.size(); id++) {
            String lit = literals.get(id);
            int s = 0;
            for (int i = 0; i < lit.length(); i++) {
                int slot = s * width + alphabet[lit.charAt(i)];
                if (table[slot] == 0) {
                    table[slot] = states++;
                    own.add(new ArrayList<>());
                }
                s = table[slot];
            }
            own.get(s).add(id);
        }
        next = Arrays.copyOf(table, states * width);
        output = new int[states][];
        int[] fail = new int[states];
        int[] queue = new int[states];
        int head = 0;
        int tail = 0;
        for (int a = 1; a < width; a++) {
            if (next[a] != 0) {
                queue[tail++] = next[a];
            }
        }
        output[0] = new int[0];
        while (head < tail) {
            int s = queue[head++];
            List<Integer> mine = own.get(s);
            int[] inherited = output[fail[s]];
            int[] merged = Arrays.copyOf(inherited, inherited.length + mine.size());
            for (int i = 0; i < mine.size(); i++) {
                merged[inherited.length + i] = mine.get(i);
            }
            output[s] = merged;
            int base = s * width;
            int failBase = fail[s] * width;
            for (int a = 1; a < width; a++) {
                int t = next[base + a];
                if (t != 0) {
                    fail[t] = next[failBase + a];
                    queue[tail++] = t;
                } else {
                    next[base + a] = next[failBase + a];
                }
            }
        }
        // a target state that reports literals is stored complemented (negative), so the scan touches the
        // output lists only on a hit
        for (int i = 0; i < next.length; i++) {
            if (output[next[i]].length > 0) {
                next[i] = ~next[i];
            }
        }
    }

    /** Calls {@code sink} with the id of every literal occurring in {@code line} (once per occurrence). */
    void scan(String line, IntSink sink) {
        int s = 0;
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            int t = c < 256 ? next[s * width + alphabet[c]] : 0;
            if (t >= 0) {
                s = t;
            } else {
                s = ~t;
                for (int h : output[s]) {
                    sink.accept(h);
                }
            }
        }
    }

    interface IntSink {
        void accept(int value);
    }
}
