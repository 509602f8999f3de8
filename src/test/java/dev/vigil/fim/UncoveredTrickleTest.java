package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which unwatched directories the trickle walks: each once, however they nest. */
class UncoveredTrickleTest {

    @Test
    void directoriesUnderAnotherUnwatchedOneAreLeftToItsWalk() {
        // "/w/b c" sorts between "/w/b" and "/w/b/c" (a space is below '/'), which a check of neighbours in sorted order misses
        List<Path> uncovered = List.of(Path.of("/w/b/c"), Path.of("/w/b c"), Path.of("/w/b"), Path.of("/w/a/x"),
                Path.of("/w/b"), Path.of("/w/b/c/d"));
        assertEquals(List.of(Path.of("/w/a/x"), Path.of("/w/b"), Path.of("/w/b c")), UncoveredTrickle.outermost(uncovered));
    }
}
