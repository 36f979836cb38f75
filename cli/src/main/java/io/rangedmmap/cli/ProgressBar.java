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
package io.rangedmmap.cli;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * The progress bar the long-running commands ({@code verify}, {@code backup}) draw on standard error: page ids
 * scanned out of the store's page count.
 */
final class ProgressBar implements LongConsumer
{
    private static final int WIDTH = 30;

    /**
     * Stores of at least this many pages get a bar unless {@code --no-progress}.
     */
    static final long DEFAULT_FROM_PAGES = 100_000;

    private final PrintWriter err;
    private final long total;
    private final boolean draw;

    /**
     * Creates a bar.
     *
     * @param err    standard error.
     * @param total  the page count.
     * @param option the command's {@code --progress} option, or {@code null} if not given.
     */
    ProgressBar(final PrintWriter err, final long total, final Boolean option)
    {
        this.err = err;
        this.total = total;
        this.draw = null == option ? total >= DEFAULT_FROM_PAGES : option;
    }

    @Override
    public void accept(final long scanned)
    {
        if (draw)
        {
            final int filled = (int)(WIDTH * scanned / total);
            err.printf("\r[%s%s] %5.1f%% %,d/%,d pages", "#".repeat(filled), " ".repeat(WIDTH - filled),
                100.0 * scanned / total, scanned, total);
            err.flush();
        }
    }

    /**
     * Ends the bar's line.
     */
    void finish()
    {
        if (draw)
        {
            err.println();
        }
    }
}
