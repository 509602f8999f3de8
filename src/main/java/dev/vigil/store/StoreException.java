package dev.vigil.store;

/** A database operation failed; the message names the file or table involved. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
