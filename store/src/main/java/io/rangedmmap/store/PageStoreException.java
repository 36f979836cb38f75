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
 * The root of the page store's own exceptions. It is unchecked: the store is fail-stop, so an I/O error is not
 * something a caller retries but a state the store enters, reported by every later call as a
 * {@link StoreFailedException} whose cause is the original {@link java.io.IOException}. Misuse is reported with the
 * JDK's types ({@link IllegalArgumentException}, {@link IllegalStateException},
 * {@link IndexOutOfBoundsException}); file-system errors at {@code create} and {@code open} are declared
 * {@link java.io.IOException}s.
 */
public abstract sealed class PageStoreException extends RuntimeException
    permits CorruptPageException, StoreFailedException, IncompatibleStoreException, StoreFullException,
    PageNotInSnapshotException, BackupMismatchException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, with the values involved.
     * @param cause   the underlying error, or {@code null}.
     */
    PageStoreException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
