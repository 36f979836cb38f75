/*
 * Copyright 2026 the ranged-mmap authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.rangedmmap.store.internal;

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
     * Fails the store, keeping only the first cause, and returns the exception to throw: the one place where a flush
     * error or a {@link io.rangedmmap.mmap.MappingFaultException} (which the mmap module's copy routines raise, the
     * only place that recognises a fault) becomes the store's failed state.
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
