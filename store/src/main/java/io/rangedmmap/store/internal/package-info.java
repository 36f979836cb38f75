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
/**
 * The page store's mechanics; <b>not API</b>: anything here may change in any release. Only
 * {@code io.rangedmmap.store} uses it.
 *
 * <p>{@link io.rangedmmap.store.internal.PageTable} keeps each page's state and CRC32C;
 * {@link io.rangedmmap.store.internal.ExtentAllocator} is the wait-free pool writers claim extents from;
 * {@link io.rangedmmap.store.internal.Checkpointer} writes a checkpoint in its crash-safe order;
 * {@link io.rangedmmap.store.internal.Recovery} rebuilds the state at open; {@link
 * io.rangedmmap.store.internal.Formatter} creates a store file atomically.
 */
package io.rangedmmap.store.internal;
