package dev.januslab.scheduler.nativert;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The bytecode VM's entry points ({@code native/include/janusvm.h}), exported by the same
 * libjanusrt as {@link NativeRuntime}: load (verify) a module, run it on a runtime, free it.
 * Kept apart from {@link NativeRuntime} so a library without the VM still loads for the
 * runtime-only callers and says exactly which half is missing.
 */
public interface NativeVm {
    /**
     * Verifies and loads a module; returns a {@code jvm_module *}, or 0 with a NUL-terminated
     * reason written into {@code err} (at most {@code errCap} bytes).
     */
    @IgnoreError long jvm_module_load(@In byte[] bytes, long len, @Out byte[] err, long errCap);

    @IgnoreError void jvm_module_free(long module);

    /**
     * Starts the run: the module's init, then main as task 0. Returns 0 or a JRT_E* code.
     * The module must outlive the runtime.
     */
    @IgnoreError int jvm_start(long rt, long module);
}
