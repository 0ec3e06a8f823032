package dev.januslab.scheduler.trace;

/**
 * The small closed vocabularies of TRACE.md §1. Each constant knows its wire spelling;
 * {@code parse} returns null for a spelling it does not know, so the reader can say which
 * field was wrong instead of throwing.
 */
public final class Wire {
    private Wire() {}

    /** A value spelled on the wire in lower case. */
    public interface Spelled {
        String wire();
    }

    public enum Mode implements Spelled {
        DETERMINISTIC, LIVE;
        private static final Mode[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static Mode parse(String s) {
            for (Mode v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    /** Where a pushed task goes: {@code TOP} is the end the owner pops next; {@code BOTTOM} the far end thieves take from. */
    public enum Pos implements Spelled {
        TOP, BOTTOM;
        private static final Pos[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static Pos parse(String s) {
            for (Pos v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum YieldReason implements Spelled {
        BUDGET, YIELD;
        private static final YieldReason[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static YieldReason parse(String s) {
            for (YieldReason v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    /** What a blocked task waits on; the event's {@code target} is a task, a nursery, or a wake time. */
    public enum BlockOn implements Spelled {
        AWAIT, SLEEP, IO, JOIN;
        private static final BlockOn[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static BlockOn parse(String s) {
            for (BlockOn v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum TargetKind implements Spelled {
        TASK, NURSERY;
        private static final TargetKind[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static TargetKind parse(String s) {
            for (TargetKind v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum CancelReason implements Spelled {
        EXPLICIT, FAILURE, PARENT;
        private static final CancelReason[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static CancelReason parse(String s) {
            for (CancelReason v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum CancelHow implements Spelled {
        POLL, CHECKPOINT;
        private static final CancelHow[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static CancelHow parse(String s) {
            for (CancelHow v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum Outcome implements Spelled {
        OK, ERROR, CANCELLED;
        private static final Outcome[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static Outcome parse(String s) {
            for (Outcome v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }

    public enum RunStatus implements Spelled {
        OK, ERROR, ABORTED;
        private static final RunStatus[] VALUES = values();
        private final String wire = name().toLowerCase(java.util.Locale.ROOT);
        public String wire() { return wire; }
        public static RunStatus parse(String s) {
            for (RunStatus v : VALUES) if (v.wire.equals(s)) return v;
            return null;
        }
    }
}
