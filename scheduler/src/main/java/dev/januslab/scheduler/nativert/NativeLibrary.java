package dev.januslab.scheduler.nativert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Finds, loads and checks libjanusrt, once per JVM.
 *
 * <p>Where the library comes from, in order: the system property {@value #PATH_PROPERTY}
 * (a path, for development against a fresh {@code native/build}), else the resource
 * {@value #RESOURCE} of the scheduler jar, copied to a private temporary directory because
 * the dynamic linker can only open files. Loading uses {@code failImmediately()}, so a
 * missing file or symbol fails here, with a message naming the file and the reason,
 * instead of at the first call in the middle of a run.
 *
 * <p>After loading, {@code jrt_config_size()} is compared with {@link ConfigStruct#SIZE}:
 * a library built from a different janusrt.h is refused rather than handed a wrong struct.
 */
public final class NativeLibrary {
    public static final String PATH_PROPERTY = "janus.native.lib";
    public static final String RESOURCE = "/native/linux-x86_64/libjanusrt.so";

    private final Path file;
    private final NativeRuntime runtime;
    private final jnr.ffi.Runtime ffi;
    private volatile NativeVm vm;
    private volatile NativeLoadException vmFailure;

    private NativeLibrary(Path file, NativeRuntime runtime) {
        this.file = file;
        this.runtime = runtime;
        this.ffi = jnr.ffi.Runtime.getRuntime(runtime);
    }

    /** The loaded library; throws {@link NativeLoadException} (every call, same message) if it cannot be loaded. */
    public static NativeLibrary get() {
        return Holder.get();
    }

    /** Shorthand for {@code get().runtime()}. */
    public static NativeRuntime runtime() {
        return get().runtime;
    }

    public NativeRuntime rt() {
        return runtime;
    }

    /** The VM half; throws {@link NativeLoadException} if this library has no {@code jvm_*} functions. */
    public NativeVm vm() {
        NativeVm v = vm;
        if (v != null) return v;
        synchronized (this) {
            if (vm != null) return vm;
            if (vmFailure != null) throw vmFailure;
            try {
                vm = load(NativeVm.class, file);
                return vm;
            } catch (NativeLoadException e) {
                vmFailure = new NativeLoadException(e.getMessage() + " (the bytecode VM, janusvm.h)", e.getCause());
                throw vmFailure;
            }
        }
    }

    /** The file the library was loaded from (the extracted copy when it came from the jar). */
    public Path file() {
        return file;
    }

    /** jnr-ffi's runtime, for allocating native memory. */
    public jnr.ffi.Runtime ffi() {
        return ffi;
    }

    /** Native memory of {@code bytes} bytes (zeroed), freed when the returned pointer is collected. */
    public Pointer allocate(int bytes) {
        return Memory.allocateDirect(ffi, bytes, true);
    }

    private static final class Holder {
        private static NativeLibrary instance;
        private static NativeLoadException failure;

        static synchronized NativeLibrary get() {
            if (instance != null) return instance;
            if (failure != null) throw failure;
            try {
                instance = open();
                return instance;
            } catch (NativeLoadException e) {
                failure = e;
                throw e;
            }
        }
    }

    /**
     * Loads and checks the library at {@code file}, bypassing the per-JVM instance (tests of
     * the loader's messages). Throws {@link NativeLoadException}.
     */
    public static NativeLibrary loadFrom(Path file) {
        return check(file.toAbsolutePath(), load(NativeRuntime.class, file.toAbsolutePath()));
    }

    private static NativeLibrary open() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new NativeLoadException("libjanusrt is built for linux-x86_64 only; this JVM runs on "
                    + os + "-" + arch);
        }
        Path file = locate();
        return check(file, load(NativeRuntime.class, file));
    }

    private static NativeLibrary check(Path file, NativeRuntime rt) {
        long nativeSize;
        try {
            nativeSize = rt.jrt_config_size();
        } catch (RuntimeException | LinkageError e) {
            throw new NativeLoadException("cannot call jrt_config_size in " + file + ": " + e, e);
        }
        if (nativeSize != ConfigStruct.SIZE) {
            throw new NativeLoadException(file + " was built from a different janusrt.h: sizeof(jrt_config) is "
                    + nativeSize + " bytes there, " + ConfigStruct.SIZE + " in dev.januslab.scheduler.nativert.ConfigStruct");
        }
        return new NativeLibrary(file, rt);
    }

    private static Path locate() {
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new NativeLoadException("-D" + PATH_PROPERTY + "=" + explicit + ": no such file (" + p + ")");
            }
            if (!Files.isReadable(p)) {
                throw new NativeLoadException("-D" + PATH_PROPERTY + "=" + explicit + ": not readable (" + p + ")");
            }
            return p;
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new NativeLoadException("libjanusrt.so is missing from the scheduler jar (resource " + RESOURCE
                        + "): build it with `make -C native all` and rebuild the scheduler module, or point -D"
                        + PATH_PROPERTY + "=PATH at a built libjanusrt.so");
            }
            Path dir = Files.createTempDirectory("janusrt-");
            Path target = dir.resolve("libjanusrt.so");
            dir.toFile().deleteOnExit();
            target.toFile().deleteOnExit();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new NativeLoadException("cannot extract " + RESOURCE + " to a temporary file under "
                    + System.getProperty("java.io.tmpdir") + ": " + e, e);
        }
    }

    /**
     * jnr-ffi binds functions lazily even with failImmediately() (a missing one throws at its
     * first call), so every function of {@code api} is looked up here, up front.
     */
    private static void requireSymbols(Class<?> api, Path file) {
        com.kenai.jffi.Library lib = com.kenai.jffi.Library.getCachedInstance(file.toString(),
                com.kenai.jffi.Library.LAZY | com.kenai.jffi.Library.LOCAL);
        if (lib == null) {
            throw new NativeLoadException("cannot load " + file + ": " + com.kenai.jffi.Library.getLastError());
        }
        List<String> missing = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (!m.isDefault() && !Modifier.isStatic(m.getModifiers()) && lib.getSymbolAddress(m.getName()) == 0) {
                missing.add(m.getName());
            }
        }
        if (!missing.isEmpty()) {
            Collections.sort(missing);
            throw new NativeLoadException("cannot load " + file + ": it lacks " + String.join(", ", missing));
        }
    }

    private static <T> T load(Class<T> api, Path file) {
        try {
            requireSymbols(api, file);
            return LibraryLoader.create(api).failImmediately().load(file.toString());
        } catch (NativeLoadException e) {
            throw e;
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            throw new NativeLoadException("cannot load " + file + ": " + e.getMessage(), e);
        } catch (LinkageError | RuntimeException e) {
            throw new NativeLoadException("cannot load " + file + ": " + e, e);
        }
    }
}
