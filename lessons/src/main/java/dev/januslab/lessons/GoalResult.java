package dev.januslab.lessons;

/** Whether a goal's check passed, with one or more sentences saying why, for the student. */
public record GoalResult(boolean passed, String why) {}
