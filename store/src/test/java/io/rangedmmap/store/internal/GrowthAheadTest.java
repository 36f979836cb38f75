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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GrowthAhead}: requests are served one at a time on the thread, and a growth that throws (which it never does
 * by contract: an Error such as running out of memory) does not end the thread.
 */
class GrowthAheadTest
{
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldServeEachRequestInTurnAndDropOneMadeWhileOneIsPending() throws InterruptedException
    {
        final ConcurrentLinkedQueue<Long> served = new ConcurrentLinkedQueue<>();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final GrowthAhead ahead = new GrowthAhead("test", observed ->
        {
            served.add(observed);
            running.countDown();
            awaitQuietly(release);
        });
        try
        {
            assertTrue(ahead.request(10));
            running.await();
            assertFalse(ahead.request(11), "a request made while one runs was taken");
            release.countDown();
            ahead.awaitIdle();
            requestAndAwait(ahead, 20, served);
        }
        finally
        {
            ahead.close();
        }
        assertFalse(ahead.request(30), "a closed growth ahead took a request");
        assertEquals(List.of(10L, 20L), List.copyOf(served));
    }

    /**
     * Without the catch in the thread's loop, the Error ended the thread: the next request was taken, never served,
     * and {@code awaitIdle} waited until the timeout (on its own thread: awaitIdle ignores interrupts).
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldGoOnServingAfterAGrowthThatThrewAnError()
    {
        final ConcurrentLinkedQueue<Long> served = new ConcurrentLinkedQueue<>();
        final GrowthAhead ahead = new GrowthAhead("test", observed ->
        {
            served.add(observed);
            if (1 == served.size())
            {
                throw new OutOfMemoryError("planted by the test");
            }
        });
        try
        {
            assertTrue(ahead.request(10));
            ahead.awaitIdle();
            requestAndAwait(ahead, 20, served);
        }
        finally
        {
            ahead.close();
        }
    }

    /**
     * Asks for a growth from {@code observed} after one from 10 was served, and expects both served, in turn.
     */
    private static void requestAndAwait(final GrowthAhead ahead, final long observed, final Queue<Long> served)
    {
        assertTrue(ahead.request(observed), "request from " + observed + " refused by an idle growth ahead");
        ahead.awaitIdle();
        assertEquals(List.of(10L, observed), List.copyOf(served));
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
