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
