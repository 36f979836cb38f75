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
 * Thrown by every call on a store that has failed: a flush failed or the mapping faulted. The store is fail-stop:
 * a failed flush is never retried (Linux may report a later flush as successful after dropping the data), nothing is
 * reported durable after the failure, and only closing it and opening the file again, which recovers the last
 * durable checkpoint, makes it usable.
 *
 * <p>Its cause is the first error, the one that failed the store.
 */
public final class StoreFailedException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, and why.
     * @param cause   the first error, which failed the store.
     */
    public StoreFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
