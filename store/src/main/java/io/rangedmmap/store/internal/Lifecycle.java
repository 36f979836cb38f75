package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.store.StoreFailedException;
import io.rangedmmap.store.internal.jfr.StoreFailedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's fail-stop lifecycle: OPEN, then FAILED at the first flush error or mapping fault, then CLOSED.
 *
 * <p><b>Thread safety:</b> all methods from any thread.
 */
public final class Lifecycle
{
    /**
     * The states of a store.
     */
    public enum State
    {
        /**
         * Usable.
         */
        OPEN,
        /**
         * A flush failed or the mapping faulted: every call throws until it is closed.
         */
        FAILED,
        /**
         * Closed: every call throws {@link IllegalStateException}.
         */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger("io.rangedmmap.store.PageStore");

    private final String name;
    private volatile State state = State.OPEN;
    private volatile Throwable failure;

    /**
     * Creates an open lifecycle.
     *
     * @param name the store, for messages.
     */
    public Lifecycle(final String name)
    {
        this.name = name;
    }

    /**
     * {@return the current state}
     */
    public State state()
    {
        return state;
    }

    /**
     * {@return the first error that failed the store, or {@code null}}
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * Throws unless the store is open.
     *
     * @throws IllegalStateException if the store is closed.
     * @throws StoreFailedException  if the store has failed, with the first error as the cause.
     */
    public void checkOpen()
    {
        final State current = state;
        if (State.OPEN != current)
        {
            throw notOpen(current);
        }
    }

    /**
     * Fails the store, keeping only the first cause, and returns the exception to throw.
     *
     * @param cause the error.
     * @return a {@link StoreFailedException} with the first error as its cause, or an
     *         {@link IllegalStateException} if the store was closed meanwhile.
     */
    public RuntimeException fail(final Throwable cause)
    {
        synchronized (this)
        {
            if (State.OPEN == state)
            {
                failure = cause;
                state = State.FAILED;
                StoreFailedEvent.emit(name, cause);
                LOG.error("page store {} failed; every later call throws until it is reopened", name, cause);
            }
        }
        return notOpen(state);
    }

    /**
     * Fails the store for a mapping fault that the JVM reported as an {@link InternalError} outside the mmap
     * module's own handling: the JVM may deliver the error of a faulting unsafe copy asynchronously, after the copy's
     * call has returned, so the store catches it around its own calls too.
     *
     * @param error     what the JVM threw.
     * @param operation what was being done, for the message.
     * @return the exception to throw, as {@link #fail(Throwable)}.
     * @throws InternalError if {@code error} is not a mapping fault.
     */
    public RuntimeException fault(final InternalError error, final String operation)
    {
        if (!String.valueOf(error.getMessage()).contains("fault occurred"))
        {
            throw error;
        }
        return fail(new MappingFaultException(operation + " of " + name + " faulted (file truncated, disk error " +
            "or disk full)", error));
    }

    /**
     * Moves to CLOSED.
     *
     * @return whether this call closed it ({@code false} if already closed).
     */
    public boolean close()
    {
        synchronized (this)
        {
            if (State.CLOSED == state)
            {
                return false;
            }
            state = State.CLOSED;
            return true;
        }
    }

    private RuntimeException notOpen(final State current)
    {
        if (State.CLOSED == current)
        {
            return new IllegalStateException("page store " + name + " is closed");
        }
        final Throwable cause = failure;
        return new StoreFailedException("page store " + name + " has failed and refuses every call; close and " +
            "reopen it to recover the last durable checkpoint. First error: " + cause, cause);
    }
}
