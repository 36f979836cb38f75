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
package io.rangedmmap.store;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end of a concurrent round in the tests: join every worker, then rethrow the first failure any of them recorded.
 */
final class Workers
{
    private Workers()
    {
    }

    /**
     * Joins the workers and fails with the first error one of them recorded.
     *
     * @param workers the started threads.
     * @param failure where they record their first error.
     * @param context the round, for the message.
     * @throws InterruptedException if interrupted while joining.
     * @throws AssertionError       carrying the first recorded error.
     */
    static void join(final List<Thread> workers, final AtomicReference<Throwable> failure, final String context)
        throws InterruptedException
    {
        for (final Thread worker : workers)
        {
            worker.join();
        }
        if (null != failure.get())
        {
            throw new AssertionError(context, failure.get());
        }
    }
}
