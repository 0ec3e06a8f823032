package dev.januslab.interpreter.check;

import dev.januslab.interpreter.ast.Decl;
import dev.januslab.interpreter.ast.Span;
import dev.januslab.interpreter.bytecode.Builtin;
import java.util.List;

/** What a name can resolve to. */
public sealed interface Symbol {
    String name();

    /** A local binding: parameter, let/var, loop variable, catch variable, nursery name. */
    final class Local implements Symbol {
        public final String name;
        public final boolean mutable;
        public final Span declared;
        public final FunctionInfo owner;
        /** Captured by some closure (or defer body) nested in the owner. */
        public boolean captured;
        /** Frame slot, assigned by the checker in declaration order (no reuse). */
        public final int slot;
        /** Set when this is a {@code let} whose initialiser is a closure literal (for N1004 through a name). */
        public FunctionInfo closureInit;

        Local(String name, boolean mutable, Span declared, FunctionInfo owner) {
            this.name = name;
            this.mutable = mutable;
            this.declared = declared;
            this.owner = owner;
            this.slot = owner.newSlot();
        }

        /** Lives in a cell: mutable and shared with a closure. */
        public boolean boxed() {
            return mutable && captured;
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** A top-level let constant or atomic var; {@code index} in the module's globals table. */
    record Global(String name, Decl.Global decl, int index) implements Symbol {}

    /** A top-level function; {@code index} in the module's function table. */
    record Function(String name, Decl.Func decl, int index, boolean async) implements Symbol {}

    /** A struct type; {@code fields} in declaration order. */
    record Struct(String name, Decl.Struct decl, int index, List<String> fields) implements Symbol {}

    /** An error set (built-in sets have a null decl). */
    record ErrorSet(String name, Decl.ErrorSet decl, int index, List<String> variants) implements Symbol {}

    /** A builtin function: sync ones map to {@link Builtin} or an opcode, async ones to an opcode. */
    record BuiltinFunction(String name, boolean async, int minArgs, int maxArgs) implements Symbol {}
}
