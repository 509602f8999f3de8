package dev.vigil.cli;

import dev.vigil.config.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** The {@code vigil} command: each subcommand is one class in this package. */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil " + Version.VERSION, scope = CommandLine.ScopeType.INHERIT,
        description = "Host security monitor: file integrity, log checks, PID checks and alerts.")
public final class VigilCommand {

    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, ScanCommand.class,
            BaselineCommand.class, CheckCommand.class, AcceptCommand.class, EventsCommand.class, OutboxCommand.class,
            LogcheckCommand.class, TestAlertCommand.class, ConfigCommand.class, DbCommand.class, StatusCommand.class, InstallCommand.class,
            UninstallCommand.class, CollectCommand.class, HostsCommand.class);

    public static void main(String[] args) {
        // Nothing searched for on the class path at start: SLF4J's provider named rather than looked for with a
        // ServiceLoader (and its note that it was named not printed), picocli's look for Groovy (a class that is
        // not there) left out. Either search opened every one of the class path's hundred-odd jars.
        System.setProperty("slf4j.provider", System.getProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider"));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        System.setProperty("picocli.disable.closures", System.getProperty("picocli.disable.closures", "true"));
        NativeLibraries.loadAhead();
        int status;
        try {
            status = commandLine(args).execute(args);
        } catch (Throwable e) {
            // picocli hands an Error (memory exhausted, a broken install) through: uncaught, the JVM would exit
            // with 1, which `vigil check` means as "differences found" (and under --exit-code=aide, 2 would mean
            // "entries removed": the model may not even be parsed, so the arguments say which). Halted, not exited: the shutdown hook of a
            // daemon that failed half-way through its start waits a minute for a stop that never comes.
            System.out.flush();
            System.err.println("vigil: " + e.getClass().getName() + ": " + message(e));
            Runtime.getRuntime().halt(ExitCodes.unexpected(args));
            return;
        }
        System.exit(status);
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

    /**
     * The command line for {@code args}, with Vigil's exit codes: 2 for any error, usage errors included (an
     * {@link Error} gets it in {@link #main}), or AIDE's where {@code --exit-code=aide} asks for them. When the
     * first argument names a subcommand, only that one is added: picocli builds the model of each subcommand it
     * is given, and doing it for all of them took a third of a second of every start. Without arguments, and for
     * help, version and usage errors, all of them are.
     */
    public static CommandLine commandLine(String... args) {
        String first = args.length > 0 ? args[0] : "";
        CommandLine cl = new CommandLine(new VigilCommand());
        boolean known = SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(first));
        for (Class<?> sub : SUBCOMMANDS) {
            if (!known || name(sub).equals(first)) {
                cl.addSubcommand(sub);
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                StoreOptions.closeOpened(parsed);
            }
        });
        // One line naming the argument and what is allowed, as coreutils do, not the whole usage help after it.
        cl.setParameterExceptionHandler((e, given) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("vigil: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
            return ExitCodes.error(cmd, true);
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("vigil: " + message(e));
            return ExitCodes.error(cmd, false);
        });
        return cl;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }
}
