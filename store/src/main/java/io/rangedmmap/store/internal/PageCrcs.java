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
package io.rangedmmap.store.internal;

/**
 * The recorded CRC32C of each user page: what a read checks the page's bytes against. Behind this interface so that
 * where the CRCs live ({@link PageTable}, off the heap) can change without touching the readers.
 */
public interface PageCrcs
{
    /**
     * {@return the CRC32C recorded for a page; read it after an acquire load that proves the page readable}
     *
     * @param page the page.
     */
    int crc(long page);
}
