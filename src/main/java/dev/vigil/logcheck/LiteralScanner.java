package dev.vigil.logcheck;

import java.util.ArrayDeque;
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
        for (String lit : literals) {
            for (int i = 0; i < lit.length(); i++) {
                char c = lit.charAt(i);
                if (alphabet[c] == 0) {
                    alphabet[c] = symbols++;
                }
            }
        }
        width = symbols;
        List<int[]> trie = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        trie.add(new int[width]);
        out.add(new ArrayList<>());
        for (int id = 0; id < literals.size(); id++) {
            String lit = literals.get(id);
            int s = 0;
            for (int i = 0; i < lit.length(); i++) {
                int a = alphabet[lit.charAt(i)];
                if (trie.get(s)[a] == 0) {
                    trie.get(s)[a] = trie.size();
                    trie.add(new int[width]);
                    out.add(new ArrayList<>());
                }
                s = trie.get(s)[a];
            }
            out.get(s).add(id);
        }
        int states = trie.size();
        next = new int[states * width];
        output = new int[states][];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int a = 1; a < width; a++) {
            int t = trie.get(0)[a];
            next[a] = t;
            if (t != 0) {
                queue.add(t);
            }
        }
        output[0] = new int[0];
        while (!queue.isEmpty()) {
            int s = queue.poll();
            List<Integer> own = out.get(s);
            int[] inherited = output[fail[s]];
            int[] merged = Arrays.copyOf(inherited, inherited.length + own.size());
            for (int i = 0; i < own.size(); i++) {
                merged[inherited.length + i] = own.get(i);
            }
            output[s] = merged;
            for (int a = 1; a < width; a++) {
                int t = trie.get(s)[a];
                if (t != 0) {
                    fail[t] = next[fail[s] * width + a];
                    next[s * width + a] = t;
                    queue.add(t);
                } else {
                    next[s * width + a] = next[fail[s] * width + a];
                }
            }
        }
    }

    /** Calls {@code sink} with the id of every literal occurring in {@code line} (once per occurrence). */
    void scan(String line, IntSink sink) {
        int s = 0;
        for (int i = 0, n = line.length(); i < n; i++) {
            char c = line.charAt(i);
            s = c < 256 ? next[s * width + alphabet[c]] : 0;
            int[] hits = output[s];
            for (int h : hits) {
                sink.accept(h);
            }
        }
    }

    interface IntSink {
        void accept(int value);
    }
}
