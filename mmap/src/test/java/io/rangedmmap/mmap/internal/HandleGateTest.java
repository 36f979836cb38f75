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
package io.rangedmmap.mmap.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The close gate's contract: accesses enter and exit until {@code close}; {@code close} refuses new accesses and
 * returns only once every access that entered has exited; an access refused leaves nothing counted.
 */
class HandleGateTest
{
    private static final int THREADS = 4;

    @Test
    void shouldLetAccessesEnterAndExitWhileOpen()
    {
        final HandleGate gate = new HandleGate("/data/f.bin");
        for (int i = 0; i < 1_000; i++)
        {
            gate.exit(gate.enter());
        }
        assertFalse(gate.isClosed());
        assertTrue(gate.close(), "close of an idle gate returns at once");
        assertTrue(gate.isClosed());
    }

    @Test
    void shouldRefuseAnAccessAfterClose()
    {
        final HandleGate gate = new HandleGate("/data/f.bin");
        gate.close();
        final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, gate::enter);
        assertEquals("handle on /data/f.bin is closed", ex.getMessage());
    }

    @Test
    void shouldCloseOnlyOnce()
    {
        final HandleGate gate = new HandleGate("g");
        assertTrue(gate.close());
        assertFalse(gate.close());
        assertTrue(gate.isClosed());
    }

    @Test
    void shouldWaitInCloseForAnAccessInFlight() throws Exception
    {
        final HandleGate gate = new HandleGate("g");
        final int cell = gate.enter();
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread closer = Thread.ofPlatform().start(() ->
        {
            gate.close();
            closed.countDown();
        });
        assertFalse(closed.await(200, TimeUnit.MILLISECONDS), "close returned while an access was in flight");
        assertTrue(gate.isClosed(), "close refuses new accesses before it waits");
        assertThrowsExactly(IllegalStateException.class, gate::enter);
        gate.exit(cell);
        assertTrue(closed.await(10, TimeUnit.SECONDS), "close did not return once the access exited");
        closer.join();
    }

    @Test
    void shouldCountAccessesOfManyThreadsOnOneHandle() throws Exception
    {
        final HandleGate gate = new HandleGate("g");
        final int threads = 16;
        final CountDownLatch entered = new CountDownLatch(threads);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Thread> accessors = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            accessors.add(Thread.ofPlatform().start(() ->
            {
                final int cell = gate.enter();
                entered.countDown();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                gate.exit(cell);
            }));
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread closer = Thread.ofPlatform().start(() ->
        {
            gate.close();
            closed.countDown();
        });
        assertFalse(closed.await(100, TimeUnit.MILLISECONDS), "close returned with 16 accesses in flight");
        release.countDown();
        for (final Thread accessor : accessors)
        {
            accessor.join();
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        closer.join();
    }

    /**
     * The open/close race, round after round: threads enter and exit as fast as they can while another thread closes
     * the gate. Allowed outcomes, per access: refused (nothing counted), or entered and exited before {@code close}
     * returned. The forbidden outcome, an access still inside when {@code close} has returned (an unmap under a
     * writer), is caught by a counter each accessor raises after {@code enter} and lowers before {@code exit}.
     */
    @Test
    void shouldNeverLetCloseReturnWithAnAccessInside() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long totalEntered = 0;
        long totalRefused = 0;
        try
        {
            for (int round = 0; round < 1_000; round++)
            {
                final HandleGate gate = new HandleGate("g");
                final AtomicInteger inside = new AtomicInteger();
                final AtomicLong entered = new AtomicLong();
                final AtomicLong refused = new AtomicLong();
                final CyclicBarrier start = new CyclicBarrier(THREADS + 1);
                final List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++)
                {
                    futures.add(pool.submit(() ->
                    {
                        start.await();
                        while (true)
                        {
                            final int cell;
                            try
                            {
                                cell = gate.enter();
                            }
                            catch (final IllegalStateException ex)
                            {
                                refused.incrementAndGet();
                                return null;
                            }
                            inside.incrementAndGet();
                            entered.incrementAndGet();
                            inside.decrementAndGet();
                            gate.exit(cell);
                        }
                    }));
                }
                start.await();
                for (int spin = round % 64; spin > 0; spin--)
                {
                    Thread.onSpinWait();
                }
                assertTrue(gate.close());
                assertEquals(0, inside.get(), "close returned with an access inside, round " + round);
                for (final Future<?> future : futures)
                {
                    future.get(30, TimeUnit.SECONDS);
                }
                assertEquals(THREADS, refused.get(), "every accessor ends refused");
                totalEntered += entered.get();
                totalRefused += refused.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertTrue(totalEntered > 0, "no access ever entered: the race was never run");
        assertEquals(1_000L * THREADS, totalRefused);
    }
}
