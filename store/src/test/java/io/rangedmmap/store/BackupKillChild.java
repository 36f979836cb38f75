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

import java.nio.file.Path;

/**
 * The child JVM of {@link BackupCrashTest}: backs up {@code <store>} to {@code <target>} (full) or brings the backup
 * {@code <target>} forward (incremental), printing {@code START} just before and {@code DONE} after; the parent
 * kills it with SIGKILL somewhere in between.
 */
final class BackupKillChild
{
    private BackupKillChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path store = Path.of(args[0]);
        final Path target = Path.of(args[1]);
        final boolean incremental = "incremental".equals(args[2]);
        try (PageStore source = PageStore.openReadOnly(store))
        {
            System.out.println("START");
            System.out.flush();
            final Checkpoint checkpoint = incremental ? source.backupTo(target) : source.backup(target);
            System.out.println("DONE " + checkpoint.sequence());
            System.out.flush();
        }
    }
}
