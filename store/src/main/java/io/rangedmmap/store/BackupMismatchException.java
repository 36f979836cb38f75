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
 * Thrown by {@link PageStore#backupTo(java.nio.file.Path)} when the existing backup cannot be brought up to date from
 * this store: it is a copy of another store, or it holds a checkpoint newer than this store's. Nothing is written to
 * the backup.
 */
public final class BackupMismatchException extends PageStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * What is wrong with the backup.
     */
    public enum Problem
    {
        /**
         * The backup is of another store (its store id differs), or of another size.
         */
        FOREIGN_STORE,
        /**
         * The backup holds a checkpoint newer than this store's newest durable one.
         */
        NEWER_THAN_SOURCE
    }

    /**
     * What is wrong.
     */
    private final Problem problem;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong.
     * @param message the backup, the store and the values that disagree.
     */
    public BackupMismatchException(final Problem problem, final String message)
    {
        super(message, null);
        this.problem = problem;
    }

    /**
     * {@return what is wrong with the backup}
     */
    public Problem problem()
    {
        return problem;
    }
}
