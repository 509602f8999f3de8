package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command: each subcommand is one class in this package. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Host security monitor: file integrity, log checks, PID checks and alerts.",
        subcommands = {RunCommand.class, ScanCommand.class, BaselineCommand.class, CheckCommand.class, AcceptCommand.class, EventsCommand.class, OutboxCommand.class, LogcheckCommand.class, TestAlertCommand.class, ConfigCommand.class, DbCommand.class})
public final class VigilCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The exception's message, and its root cause's where that says something more. */
    public static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() != null ? e.getMessage() : e.toString();
        String cause = root.getMessage() != null ? root.getMessage() : root.toString();
        return root == e || top.contains(cause) ? top : top + "\n  cause: " + cause;
    }

    /** The command line with Vigil's exit codes: 2 for any error, usage errors included. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VigilCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("vigil: " + message(e));
            return 2;
        });
        return cl;
    }
}
