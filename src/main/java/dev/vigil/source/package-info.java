/**
 * What every source of findings shares, whichever runs it (a Camel consumer or a core loop such as
 * {@code fim.UncoveredTrickle}): the {@link dev.vigil.source.Supervisor} that keeps its loop going whatever its
 * work throws, and {@link dev.vigil.source.RepeatedFailure}, which logs a failure that repeats a line a minute.
 * Plain Java, so that core packages can be supervised without depending on Camel.
 */
package dev.vigil.source;
