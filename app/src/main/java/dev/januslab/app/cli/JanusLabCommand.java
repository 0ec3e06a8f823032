package dev.januslab.app.cli;

import dev.januslab.app.ui.LabApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The top-level `janus-lab` command. Subcommands are the headless tools (DESIGN.md §6);
 * without one it opens the app. Exit statuses: 0 ok, 1 an error escaped main, 2 compile
 * errors, 3 bad usage or unreadable file, 4 internal failure.
 */
@Command(
        name = "janus-lab",
        mixinStandardHelpOptions = true,
        versionProvider = JanusLabCommand.Version.class,
        description = "Write, run and watch async Janus programs on a real M:N fiber scheduler.",
        subcommands = {CommandLine.HelpCommand.class, RenderCommand.class, GuiBenchCommand.class,
                CheckCommand.class, DisasmCommand.class, RunCommand.class, LessonsCommand.class})
public final class JanusLabCommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_PROGRAM_ERROR = 1;
    public static final int EXIT_COMPILE_ERRORS = 2;
    public static final int EXIT_USAGE = 3;
    public static final int EXIT_INTERNAL = 4;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A program (.jan) or a trace (.jtrace) to open.")
    Path file;

    @Override
    public Integer call() {
        if (file != null && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
            CliStreams.stderr().println("janus-lab: cannot open " + file + (Files.isDirectory(file)
                    ? ": it is a folder (give a .jan program or a .jtrace trace; `janus-lab --help` lists the commands)"
                    : ": no such readable file"));
            return EXIT_USAGE;
        }
        String noDisplay = missingDisplay(System.getenv(), System.getProperty("glass.platform"));
        if (noDisplay != null) {
            CliStreams.stderr().println("janus-lab: " + noDisplay);
            return EXIT_USAGE;
        }
        LabApp.launchWith(file);
        return EXIT_OK;
    }

    /**
     * Why the window cannot open here, or null: on Linux the app needs an X11 or Wayland
     * display (GTK), and without one JavaFX dies with a stack trace instead of a sentence.
     */
    static String missingDisplay(java.util.Map<String, String> env, String glassPlatform) {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) return null;
        if (!env.getOrDefault("DISPLAY", "").isBlank() || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank()) return null;
        if ("monocle".equalsIgnoreCase(glassPlatform)) return null; // headless (tests, render): no display needed
        return "the app needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set. The command line works"
                + " without one: janus-lab run FILE.jan, check, disasm, lessons, render (`janus-lab --help`).";
    }

    /** Reads the version from the jar manifest, falling back to the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JanusLabCommand.class.getPackage().getImplementationVersion();
            return new String[] {"janus-lab " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
