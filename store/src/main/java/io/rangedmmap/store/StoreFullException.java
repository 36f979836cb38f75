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
