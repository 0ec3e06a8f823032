package dev.januslab.app.session;

/** The run settings on the toolbar (LANGUAGE.md §6.5, DESIGN.md §6). */
public record RunConfig(int workers, boolean deterministic, long seed, int quantum) {
    public static final RunConfig DEFAULT = new RunConfig(2, true, 42, 1000);

    public RunConfig {
        if (workers < 1 || workers > 8) throw new IllegalArgumentException("workers must be 1–8, not " + workers);
        if (quantum < 1) throw new IllegalArgumentException("quantum must be positive");
    }
}
