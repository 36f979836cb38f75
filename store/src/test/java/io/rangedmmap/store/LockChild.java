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

import io.rangedmmap.mmap.FileLockedException;

import java.nio.file.Path;

/**
 * Child JVM of {@link PageStoreLockCrashTest}: {@code probe PATH} tries to open the store and prints
 * {@code OPENED checkpoint=N} or {@code LOCKED message}; {@code hold PATH} opens it, prints {@code HELD} and waits
 * to be killed. {@code probe-ro} and {@code hold-ro} do the same with {@link PageStore#openReadOnly(Path)}.
 */
final class LockChild
{
    private LockChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[1]);
        final boolean readOnly = args[0].endsWith("-ro");
        if (args[0].startsWith("hold"))
        {
            final PageStore store = readOnly ? PageStore.openReadOnly(path) : PageStore.open(path);
            System.out.println("HELD checkpoint=" + store.lastCheckpoint());
            System.out.flush();
            Thread.sleep(120_000);
            store.close();
            return;
        }
        try (PageStore store = readOnly ? PageStore.openReadOnly(path) : PageStore.open(path))
        {
            System.out.println("OPENED checkpoint=" + store.lastCheckpoint());
        }
        catch (final FileLockedException ex)
        {
            System.out.println("LOCKED " + ex.getMessage());
        }
    }
}
