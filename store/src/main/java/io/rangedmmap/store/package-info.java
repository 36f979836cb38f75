/**
 * A crash-safe store of fixed 4 KiB pages on top of {@code io.rangedmmap.mmap}.
 */
package io.rangedmmap.store;
