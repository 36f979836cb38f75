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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The background thread of a store's growth ahead: a writer whose refill leaves the free pool low asks for a growth
 * with {@link #request(long)}, which never blocks and never allocates once the thread exists, and goes on with what is
 * left in the pool while this thread grows the store. At most one request is pending or running at a time; a request
 * made meanwhile is dropped (the one running covers it).
 *
 * <p>The thread is a daemon named {@code page-store-grow <store>}, started at the first request (a store that never
 * grows ahead has none) and stopped by {@link #close()}, which waits for a growth in flight and never leaves the thread
 * behind. The request word is the handshake: {@link #IDLE}, or the page count the asking writer saw.
 *
 * <p><b>Thread safety:</b> every method from any thread.
 */
public final class GrowthAhead
{
    /**
     * The request word when no growth ahead is pending or running.
     */
    static final long IDLE = -1;

    private static final Logger LOG = LoggerFactory.getLogger("io.rangedmmap.store.PageStore");
    private static final long PARK_WHILE_AWAITING_NANOS = 100_000;
    private static final VarHandle REQUEST;

    static
    {
        try
        {
            REQUEST = MethodHandles.lookup().findVarHandle(GrowthAhead.class, "request", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String threadName;
    private final LongConsumer growth;
    /**
     * {@link #IDLE}, or the page count a writer saw when it asked for the growth; only through {@link #REQUEST}.
     */
    @SuppressWarnings("unused")
    private long request = IDLE;
    // Volatile: written under this object's monitor by start and close, read without it by request and the thread.
    private volatile Thread thread;
    private volatile boolean closed;

    /**
     * Creates the growth ahead of a store; no thread yet.
     *
     * @param store  the store, for the thread's name.
     * @param growth grows the store by a step if its page count is still the one given; run on the thread, never
     *               throws (it keeps what went wrong for the writer that runs out of pages).
     */
    public GrowthAhead(final String store, final LongConsumer growth)
    {
        this.threadName = "page-store-grow " + store;
        this.growth = growth;
    }

    /**
     * Asks the thread to grow the store from {@code observed} pages, unless a growth ahead is already pending or
     * running, or the store is closed. Returns at once.
     *
     * @param observed the page count the writer saw when it found the pool low.
     * @return whether this call made the request.
     */
    public boolean request(final long observed)
    {
        // Volatile compare-and-set: only one writer's request is taken; the thread's getAcquire of the word in run()
        // is its partner (the thread sees observed and everything the writer did before).
        // The volatile read of closed first: a closed store takes no request (one racing close is left to nobody).
        if (closed || !REQUEST.compareAndSet(this, IDLE, observed))
        {
            return false;
        }
        final Thread worker = thread;
        // unpark(null) does nothing: a start refused by a close leaves the request to nobody, as the store is closed.
        LockSupport.unpark(null != worker ? worker : start());
        return true;
    }

    /**
     * Waits until no growth ahead is pending or running, or the store is closed: for tests and crash simulations that
     * need the page count settled before they look at it.
     */
    public void awaitIdle()
    {
        // getAcquire: partner of the thread's setRelease(IDLE) after a growth, so the growth's effects are visible.
        while (!closed && IDLE != (long)REQUEST.getAcquire(this))
        {
            LockSupport.parkNanos(PARK_WHILE_AWAITING_NANOS);
        }
    }

    /**
     * Stops the thread, if there is one: a growth in flight completes first (the caller has closed the store, so a
     * request not yet started finds it closed and grows nothing). Waits for the thread to end, even if interrupted
     * (the interrupt is kept). Closing again does nothing.
     */
    public void close()
    {
        final Thread worker;
        synchronized (this)
        {
            // Under the monitor: a start racing this close either ran first (and its thread is joined below) or sees
            // closed and starts nothing.
            closed = true;
            worker = thread;
        }
        if (null == worker)
        {
            return;
        }
        // After the volatile write of closed: the thread, unparked, reads closed in run() and stops.
        LockSupport.unpark(worker);
        boolean interrupted = false;
        while (worker.isAlive())
        {
            try
            {
                worker.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Thread start()
    {
        if (closed)
        {
            return null;
        }
        Thread worker = thread;
        if (null == worker)
        {
            worker = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
            thread = worker;
            worker.start();
        }
        return worker;
    }

    private void run()
    {
        // Volatile read of closed: partner of close()'s write, which is followed by an unpark of this thread.
        while (!closed)
        {
            // getAcquire: partner of the requesting writer's compare-and-set.
            final long observed = (long)REQUEST.getAcquire(this);
            if (IDLE == observed)
            {
                // A request made after the read above has unparked this thread already: park returns at once.
                LockSupport.park(this);
                continue;
            }
            try
            {
                growth.accept(observed);
            }
            catch (final Throwable ex)
            {
                // The growth never throws by contract; an Error (out of memory, a bug) must not end this thread, or the
                // next request would be taken and never served, and awaitIdle would wait until close. The writer that
                // runs out of pages grows synchronously and meets the error itself.
                LOG.error("{}: the growth from pageCount={} threw; the thread goes on", threadName, observed, ex);
            }
            finally
            {
                // setRelease: the growth's effects (page count, pool, a refusal) happen before the next request's
                // compare-and-set and awaitIdle's getAcquire, its partners.
                REQUEST.setRelease(this, IDLE);
            }
        }
    }
}
