package dev.januslab.app;

import dev.januslab.app.cli.JanusLabCommand;
import picocli.CommandLine;

/** Entry point of the `janus-lab` launcher: the command line, and (with no subcommand) the app. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // `janus-lab` alone opens the app. picocli ships Java 5 class files, which the launcher's
        // class-data archive cannot hold, so building the command line loads and verifies its
        // classes on every start: about a tenth of the time to the first window. Without
        // arguments there is nothing to parse.
        if (args.length == 0) System.exit(new JanusLabCommand().call());
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
