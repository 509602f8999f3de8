package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command: each subcommand is one class in this package. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Host security monitor: file integrity, log checks, PID checks and alerts.",
        subcommands = {LogcheckCommand.class})
public final class VigilCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new VigilCommand()).execute(args));
    }
}
