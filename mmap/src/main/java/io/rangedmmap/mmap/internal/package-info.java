/**
 * Internals of the {@code mmap} module: the shared mapping, the per-handle close gate, native calls and the JVM
 * flag check.
 *
 * <p><b>Not API:</b> these types are public only so that the {@code io.rangedmmap.mmap} package can use them; they
 * may change in any release. Use {@link io.rangedmmap.mmap.MmapFile} and {@link io.rangedmmap.mmap.RawMmapFile}.
 */
package io.rangedmmap.mmap.internal;
