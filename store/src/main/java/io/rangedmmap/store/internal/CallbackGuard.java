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

/**
 * Knows whether the current thread is inside one of a store's callbacks (a zero-copy reader or writer, or a verify
 * progress listener), so that {@code close} called from there is refused at once instead of waiting forever for
 * the access that called it.
 *
 * <p><b>Thread safety:</b> all methods from any thread; each thread sees its own depth.
 */
public final class CallbackGuard
{
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * Makes a guard for one store, with no thread inside any of its callbacks.
     */
    public CallbackGuard()
    {
    }

    /**
     * Marks the current thread as inside a callback; pass the result to {@link #exit(int[])} in a {@code finally}.
     *
     * @return the current thread's depth counter.
     */
    public int[] enter()
    {
        final int[] counter = depth.get();
        counter[0]++;
        return counter;
    }

    /**
     * Marks the end of a callback started by {@link #enter()}.
     *
     * @param counter what {@code enter} returned, on the same thread.
     */
    public static void exit(final int[] counter)
    {
        counter[0]--;
    }

    /**
     * {@return whether the current thread is inside a callback of this store}
     */
    public boolean isInside()
    {
        return 0 != depth.get()[0];
    }
}
