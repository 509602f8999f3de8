package dev.vigil.watch;

/** The kernel refused a watch (permission, kernel version, filesystem, limits). */
public class WatchException extends Exception {

    public WatchException(String message) {
        super(message);
    }

    public WatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
