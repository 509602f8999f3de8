/**
 * The {@code fscan:} component: the scheduled full check and the trickle of file areas against the baseline.
 */
package dev.vigil.camel.fscan;
