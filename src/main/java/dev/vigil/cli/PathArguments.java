package dev.vigil.cli;

import dev.vigil.fim.Integrity;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The PATH arguments of baseline, check and accept, checked before any work is done: a path that does not
 * exist, or that the baseline does not cover, is an error naming it, where a typo used to record, check or
 * accept nothing and exit 0, and a path outside the baseline was checked as one long list of ADDED entries.
 */
final class PathArguments {

    private PathArguments() {
    }

    /** Each path must exist (a symbolic link counts, dangling or not: it is what a scan records). */
    static void requireExisting(CommandSpec spec, List<Path> paths) {
        for (Path p : paths) {
            if (!exists(p)) {
                throw new ParameterException(spec.commandLine(), p + ": no such file or directory");
            }
        }
    }

    /**
     * Each path must lie in a baselined area, and exist or have a baseline entry (a path deleted since the
     * baseline is a difference, not a typo).
     */
    static void requireBaselined(CommandSpec spec, Integrity integrity, List<Path> paths) {
        for (Path p : paths) {
            if (!exists(p) && !integrity.hasEntry(p)) {
                throw new ParameterException(spec.commandLine(), p + ": no such file or directory, and not in the baseline");
            }
            if (!integrity.hasBaseline(p)) {
                List<Path> areas = integrity.areas();
                throw new ParameterException(spec.commandLine(), p + " is not in the baseline"
                        + (areas.isEmpty() ? "" : " (baselined: " + Integrity.areaName(Integrity.normalise(areas)) + ")")
                        + "; take it in with: vigil baseline " + p);
            }
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
