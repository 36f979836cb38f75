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
package io.rangedmmap.mmap;

/**
 * Options for {@link MmapFile#create(java.nio.file.Path, long, AllocatorType, CreateOption...)} and
 * {@link RawMmapFile#create(java.nio.file.Path, long, CreateOption...)}.
 */
public enum CreateOption
{
    /**
     * Replace an existing file instead of failing with {@link java.nio.file.FileAlreadyExistsException}. Its old
     * contents are discarded. A file that is open (locked) elsewhere is still refused.
     */
    REPLACE_EXISTING,
    /**
     * Create a sparse file instead of reserving its disk blocks. Faster to create, but a full disk then surfaces at
     * a later write as a {@link MappingFaultException} instead of at {@code create}.
     */
    SPARSE
}
