package dev.januslab.scheduler.nativert;

/** libjanusrt could not be found, extracted or loaded; the message says which file and why. */
public final class NativeLoadException extends RuntimeException {
    public NativeLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public NativeLoadException(String message) {
        super(message);
    }
}
