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
 * A crash-safe store of fixed 4 KiB pages on top of {@code io.rangedmmap.mmap}: many writers at once, each writing
 * its own pages with no lock, and atomic, receipt-gated checkpoints as the only point of coordination.
 *
 * <p><b>Model.</b> {@link io.rangedmmap.store.PageStore#create PageStore.create} makes a file of
 * {@link io.rangedmmap.store.PageStore#PAGE_SIZE 4096}-byte user pages; a page's whole 4096 bytes are the user's,
 * checksums and bookkeeping live in metadata pages of the same file. Each thread takes a
 * {@link io.rangedmmap.store.PageWriter}, allocates pages and writes each page once, getting a
 * {@link io.rangedmmap.store.PageReceipt}. {@link io.rangedmmap.store.PageStore#checkpoint checkpoint} makes the pages
 * of the receipts it is given durable, with the frees staged by {@code free} and the 16 root slots. To change data,
 * write a new page and free the old one (copy-on-write): since a page that may be live is never written in place, the
 * kernel can write any dirty page back at any moment without breaking a checkpoint.
 *
 * <p><b>Crash guarantees.</b> After a crash at any instant, {@code open} yields the last completed checkpoint
 * entirely or, if the crash hit a checkpoint in progress, the one before it entirely: never a mix, never a torn page.
 * Pages written but not in a completed checkpoint are free again. A checkpoint writes the metadata table pages that
 * changed into the copy of the table that the previous checkpoint does not use; makes the receipts' pages and that
 * metadata durable with one {@code msync} over the span that holds them (neither is referenced by the durable
 * superblock yet, so they may reach the disk in any order); then writes and flushes the superblock, into the slot the
 * previous checkpoint does not use. Only then does it return: two device flushes per checkpoint, as LMDB's commit.
 * {@code close} does <b>not</b> checkpoint.
 *
 * <p><b>Failure.</b> The first flush error or mapping fault fails the store: every later call throws
 * {@link io.rangedmmap.store.StoreFailedException} with that first error as its cause, and nothing is retried. Close
 * and reopen to recover the last durable checkpoint. All the store's own exceptions extend the unchecked
 * {@link io.rangedmmap.store.PageStoreException}; {@code create} and {@code open} declare
 * {@link java.io.IOException} for file-system errors; misuse throws the JDK's {@code IllegalArgumentException},
 * {@code IllegalStateException} and {@code IndexOutOfBoundsException}.
 *
 * <p><b>Threads.</b> A store is safe from any number of threads; a writer from one thread at a time, which is
 * enforced ({@link java.util.ConcurrentModificationException} from a second thread). Checkpoints run one at a time;
 * writers and readers never wait for them. A write is visible to readers in every thread as soon as it returns.
 * {@code close} is refused from inside the store's own callbacks.
 *
 * <p><b>Inspecting.</b> {@link io.rangedmmap.store.PageStore#openReadOnly(java.nio.file.Path)} opens a store under a
 * shared lock and never writes to it; {@link io.rangedmmap.store.PageStore#superblockFallback()} says whether open had
 * to reject a superblock, and {@link io.rangedmmap.store.PageStore#verify()} reports damage to either superblock or
 * either metadata copy.
 *
 * <p><b>JVM flags.</b> Like the mmap module, run with {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED}
 * and {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>The on-disk format is specified in {@code io.rangedmmap.store.internal.format}; {@code internal} is not API.
 */
package io.rangedmmap.store;
