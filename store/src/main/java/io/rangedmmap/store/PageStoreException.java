package io.rangedmmap.store;

/**
 * The root of the page store's own exceptions. It is unchecked: the store is fail-stop, so an I/O error is not
 * something a caller retries but a state the store enters, reported by every later call as a
 * {@link StoreFailedException} whose cause is the original {@link java.io.IOException}. Misuse is reported with the
 * JDK's types ({@link IllegalArgumentException}, {@link IllegalStateException},
 * {@link IndexOutOfBoundsException}); file-system errors at {@code create} and {@code open} are declared
 * {@link java.io.IOException}s.
 */
public abstract sealed class PageStoreException extends RuntimeException
    permits CorruptPageException, StoreFailedException, IncompatibleStoreException, StoreFullException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, with the values involved.
     * @param cause   the underlying error, or {@code null}.
     */
    PageStoreException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
