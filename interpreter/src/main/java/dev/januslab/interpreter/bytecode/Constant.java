package dev.januslab.interpreter.bytecode;

/** A constant pool entry (tags 1 INT, 2 FLOAT, 3 STRING in the file). */
public sealed interface Constant {
    int tag();

    record Int(long value) implements Constant {
        public int tag() { return 1; }
    }

    record Float(double value) implements Constant {
        public int tag() { return 2; }

        // Compare by bits so 0.0 and -0.0 (and NaN) stay distinct/equal as stored.
        @Override
        public boolean equals(Object o) {
            return o instanceof Float f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(Double.doubleToRawLongBits(value));
        }
    }

    record Str(String value) implements Constant {
        public int tag() { return 3; }
    }
}
