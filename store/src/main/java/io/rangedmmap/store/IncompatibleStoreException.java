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
 * Thrown by {@link PageStore#open(java.nio.file.Path)} when a file cannot be opened as a page store; the file is
 * left exactly as it was. {@link #problem()} names what is wrong.
 */
public final class IncompatibleStoreException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * What makes a file unusable as a store.
     */
    public enum Problem
    {
        /**
         * The file is too small, or has no page store magic number: it is not a page store.
         */
        NOT_A_STORE,
        /**
         * The store was written by a newer version of this library, in a format this one does not know.
         */
        NEWER_FORMAT,
        /**
         * The store was written in an older on-disk format, which this version does not read.
         */
        OLDER_FORMAT,
        /**
         * The store's pages are not {@link PageStore#PAGE_SIZE} bytes.
         */
        PAGE_SIZE_MISMATCH,
        /**
         * The file's size disagrees with its superblock: truncated, extended, or not a whole number of pages.
         */
        SIZE_MISMATCH,
        /**
         * The superblocks or the current metadata table are damaged.
         */
        CORRUPT_METADATA
    }

    /**
     * What is wrong with the file.
     */
    private final Problem problem;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong.
     * @param message the file and the values found, with those expected.
     */
    public IncompatibleStoreException(final Problem problem, final String message)
    {
        super(message, null);
        this.problem = problem;
    }

    /**
     * {@return what is wrong with the file}
     */
    public Problem problem()
    {
        return problem;
    }
}
