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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest
{
    @Test
    void shouldStartOpen()
    {
        final Lifecycle lifecycle = new Lifecycle("/data/s.store");
        assertEquals(Lifecycle.State.OPEN, lifecycle.state());
        assertNull(lifecycle.failure());
        assertDoesNotThrow(lifecycle::checkOpen);
    }

    @Test
    void shouldFailForGoodKeepingTheFirstCause()
    {
        final Lifecycle lifecycle = new Lifecycle("/data/s.store");
        final IOException first = new IOException("msync failed");
        final RuntimeException thrown = lifecycle.fail(first);
        assertInstanceOf(StoreFailedException.class, thrown);
        assertSame(first, thrown.getCause());
        assertEquals(Lifecycle.State.FAILED, lifecycle.state());
        assertSame(first, lifecycle.failure());

        final RuntimeException second = lifecycle.fail(new IOException("fsync failed"));
        assertSame(first, second.getCause(), "a later error never replaces the first");
        assertSame(first, lifecycle.failure());

        final StoreFailedException ex = assertThrowsExactly(StoreFailedException.class, lifecycle::checkOpen);
        assertSame(first, ex.getCause());
        assertEquals("page store /data/s.store has failed and refuses every call; close and reopen it to recover " +
            "the last durable checkpoint. First error: java.io.IOException: msync failed", ex.getMessage());
    }

    @Test
    void shouldCloseOnceFromOpenOrFailed()
    {
        final Lifecycle open = new Lifecycle("a");
        assertTrue(open.close());
        assertFalse(open.close());
        assertEquals(Lifecycle.State.CLOSED, open.state());

        final Lifecycle failed = new Lifecycle("b");
        failed.fail(new IOException("x"));
        assertTrue(failed.close());
        assertEquals(Lifecycle.State.CLOSED, failed.state());
    }

    @Test
    void shouldRefuseEveryCallOnceClosedEvenIfFailedAfterwards()
    {
        final Lifecycle lifecycle = new Lifecycle("/data/s.store");
        lifecycle.close();
        final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, lifecycle::checkOpen);
        assertEquals("page store /data/s.store is closed", ex.getMessage());
        final RuntimeException thrown = lifecycle.fail(new IOException("late"));
        assertInstanceOf(IllegalStateException.class, thrown);
        assertEquals(Lifecycle.State.CLOSED, lifecycle.state());
        assertNull(lifecycle.failure(), "a failure after close is not recorded");
    }

    /**
     * Many threads fail the store at once, round after round: exactly one cause is kept, and every thread's
     * exception carries that one.
     */
    @Test
    void shouldKeepExactlyOneCauseWhenThreadsFailAtOnce() throws Exception
    {
        final int threads = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            for (int round = 0; round < 200; round++)
            {
                final Lifecycle lifecycle = new Lifecycle("s");
                final CyclicBarrier start = new CyclicBarrier(threads);
                final List<Future<RuntimeException>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    final IOException cause = new IOException("thread " + t);
                    futures.add(pool.submit(() ->
                    {
                        start.await();
                        return lifecycle.fail(cause);
                    }));
                }
                final Throwable kept = futures.getFirst().get(10, TimeUnit.SECONDS).getCause();
                for (final Future<RuntimeException> future : futures)
                {
                    final RuntimeException thrown = future.get(10, TimeUnit.SECONDS);
                    assertInstanceOf(StoreFailedException.class, thrown);
                    assertSame(kept, thrown.getCause(), "round " + round);
                }
                assertSame(kept, lifecycle.failure());
                assertEquals(Lifecycle.State.FAILED, lifecycle.state());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
