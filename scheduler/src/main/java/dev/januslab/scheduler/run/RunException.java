package dev.januslab.scheduler.run;

/** A run could not be started: the VM rejected the module, the runtime refused the config... */
public final class RunException extends RuntimeException {
    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
