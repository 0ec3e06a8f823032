package dev.januslab.scheduler.run;

import dev.januslab.interpreter.bytecode.Builtin;
import dev.januslab.interpreter.bytecode.FunctionCode;
import dev.januslab.interpreter.bytecode.BytecodeModule;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns the {@code func_id} of a task_spawn record into the name a task is shown by
 * ({@code fetch} in {@code fetch#3}): a function index of the module, or
 * {@value #BUILTIN_BASE} + a builtin id for tasks started by async builtins (janusvm.h).
 */
public final class FunctionNames implements IntFunction<String> {
    public static final int BUILTIN_BASE = 0x40000000;

    private final String[] functions;

    public FunctionNames(List<String> functions) {
        this.functions = functions.toArray(String[]::new);
    }

    public static FunctionNames of(BytecodeModule module) {
        return new FunctionNames(module.functions().stream().map(FunctionCode::name).toList());
    }

    @Override
    public String apply(int funcId) {
        if (funcId >= 0 && funcId < functions.length && functions[funcId] != null) return functions[funcId];
        if (funcId >= BUILTIN_BASE) {
            int id = funcId - BUILTIN_BASE;
            Builtin[] all = Builtin.values();
            return id < all.length ? all[id].janusName : "builtin" + id;
        }
        return "func" + funcId;
    }
}
