package dev.januslab.app;

import dev.januslab.app.cli.JanusLabCommand;
import picocli.CommandLine;

/** Entry point of the `janus-lab` launcher: the command line, and (with no subcommand) the app. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it directly. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new JanusLabCommand());
        cli.getCommandSpec().exitCodeOnInvalidInput(JanusLabCommand.EXIT_USAGE);
        cli.getCommandSpec().exitCodeOnExecutionException(JanusLabCommand.EXIT_INTERNAL);
        return cli;
    }
}
