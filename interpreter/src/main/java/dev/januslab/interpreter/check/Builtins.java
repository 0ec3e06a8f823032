package dev.januslab.interpreter.check;

import dev.januslab.interpreter.bytecode.Builtin;
import dev.januslab.interpreter.bytecode.Method;
import java.util.HashMap;
import java.util.Map;

/** The names the language predefines (LANGUAGE.md §3 types, §7 builtins and methods). */
public final class Builtins {
    private Builtins() {}

    /** Built-in functions by name. */
    public static final Map<String, Symbol.BuiltinFunction> FUNCTIONS = new HashMap<>();
    /** Type names to their canonical tag name (int, float, bool, string, Task, Nursery, void, any). */
    public static final Map<String, String> TYPES = new HashMap<>();
    /** Method names with a fixed argument count: VM methods, bytecode helpers, handle methods. */
    public static final Map<String, Integer> METHODS = new HashMap<>();

    static {
        for (Builtin b : Builtin.values()) {
            FUNCTIONS.put(b.janusName, new Symbol.BuiltinFunction(b.janusName, false, b.minArgs, b.maxArgs));
        }
        FUNCTIONS.put("is_cancelled", new Symbol.BuiltinFunction("is_cancelled", false, 0, 0));
        FUNCTIONS.put("cancel", new Symbol.BuiltinFunction("cancel", false, 1, 1));
        FUNCTIONS.put("sleep", new Symbol.BuiltinFunction("sleep", true, 1, 1));
        FUNCTIONS.put("yield", new Symbol.BuiltinFunction("yield", true, 0, 0));
        FUNCTIONS.put("http_get", new Symbol.BuiltinFunction("http_get", true, 1, 1));
        FUNCTIONS.put("await_any", new Symbol.BuiltinFunction("await_any", true, 1, 1));
        FUNCTIONS.put("await_all", new Symbol.BuiltinFunction("await_all", true, 1, 1));

        for (String t : new String[] {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "int"}) {
            TYPES.put(t, "int");
        }
        for (String t : new String[] {"f32", "f64", "float"}) {
            TYPES.put(t, "float");
        }
        for (String t : new String[] {"bool", "string", "Task", "Nursery", "void", "any"}) {
            TYPES.put(t, t);
        }

        for (Method m : Method.values()) {
            METHODS.put(m.janusName, m.args);
        }
        METHODS.put("map", 1);
        METHODS.put("filter", 1);
        METHODS.put("each", 1);
        METHODS.put("cancel", 0);
        METHODS.put("is_cancelled", 0);
    }
}
