/**
 * The {@code vigil} command line (picocli): one class per subcommand, and what they share (the home and
 * configuration directories, store options, the printing of changes and problems).
 */
package dev.vigil.cli;
