/**
 * The {@code vigil} command line (picocli): one class per subcommand, and what they share (the home and
 * configuration directories, store options, the printing of changes and problems), and Vigil installed as a
 * service ({@link dev.vigil.cli.Installation}, {@link dev.vigil.cli.DebianPackage}).
 */
package dev.vigil.cli;
