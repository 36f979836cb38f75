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

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM of {@link PageStoreCreateRaceTest}: {@code DIR ROUNDS} prints {@code READY}, then for each round waits
 * for the file {@code go-R} in {@code DIR} and creates the store {@code s-R.store} there, printing
 * {@code R CREATED}, {@code R EXISTS} or {@code R ERROR <exception>}.
 */
final class CreateRaceChild
{
    private CreateRaceChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int rounds = Integer.parseInt(args[1]);
        System.out.println("READY");
        System.out.flush();
        for (int round = 0; round < rounds; round++)
        {
            final Path go = dir.resolve("go-" + round);
            while (!Files.exists(go))
            {
                Thread.onSpinWait();
            }
            String outcome;
            try
            {
                PageStore.create(dir.resolve("s-" + round + ".store"), PageStoreCreateRaceTest.PAGES).close();
                outcome = "CREATED";
            }
            catch (final FileAlreadyExistsException ex)
            {
                outcome = "EXISTS";
            }
            catch (final Exception ex)
            {
                outcome = "ERROR " + ex;
            }
            System.out.println(round + " " + outcome);
            System.out.flush();
        }
    }
}
