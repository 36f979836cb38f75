package io.rangedmmap.store;

/**
 * Thrown by {@link PageWriter#allocate()} and {@link PageWriter#allocate(int)} when no free page, or no contiguous
 * run of the requested length, is left to the writer. Pages freed by {@link PageStore#free(long)} become available
 * again once the checkpoint that frees them is durable, and pages a writer never used once it is closed.
 */
public final class StoreFullException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was requested, and what is left.
     */
    public StoreFullException(final String message)
    {
        super(message, null);
    }
}
