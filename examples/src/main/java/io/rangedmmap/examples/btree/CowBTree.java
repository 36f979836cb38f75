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
package io.rangedmmap.examples.btree;

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A persistent copy-on-write B+tree of {@code long} keys and values on {@link PageStore} pages, the way LMDB keeps
 * its B-tree: a change never overwrites a page; it writes new copies of the pages on the path from the leaf to the
 * root, frees the old ones, and publishes the new root with {@link PageStore#setRoot(int, long)} in the same
 * atomic checkpoint. After a crash the tree is exactly as of the last {@link #commit()} that returned (or the one in
 * flight), never a mix.
 *
 * <p>Pages: a leaf is {@code [int 0][int count][long keys...][long values...]} (255 entries); an inner node is
 * {@code [int 1][int children][long child pages...][long separator keys...]} (256 children). Changes between
 * commits are kept in memory, so each page is written once per commit.
 *
 * <p><b>Thread safety:</b> not thread-safe; one thread uses a tree.
 */
public final class CowBTree implements AutoCloseable
{
    /**
     * Root slot holding the root page id plus one (0: empty tree).
     */
    static final int ROOT_SLOT = 0;
    /**
     * Root slot holding the number of keys.
     */
    static final int SIZE_SLOT = 1;
    static final int MAX_LEAF = (PageStore.PAGE_SIZE - 8) / 16;
    static final int MAX_CHILDREN = (PageStore.PAGE_SIZE - 8 + 8) / 16;

    private final PageStore store;
    private final PageWriter writer;
    private final List<Long> toFree = new ArrayList<>();
    private final UnsafeBuffer pageView = new UnsafeBuffer(new byte[PageStore.PAGE_SIZE]);
    private Node root;
    private long size;

    /**
     * Opens the tree kept in {@code store}'s root slots 0 and 1.
     *
     * @param store the store.
     */
    public CowBTree(final PageStore store)
    {
        this.store = store;
        this.writer = store.newWriter();
        this.size = store.root(SIZE_SLOT);
    }

    /**
     * {@return the number of keys}
     */
    public long size()
    {
        return size;
    }

    /**
     * {@return the value of {@code key}, or {@code null}}
     *
     * @param key the key.
     */
    public Long get(final long key)
    {
        Node node = root();
        while (null != node)
        {
            if (node.leaf)
            {
                final int at = Arrays.binarySearch(node.keys, 0, node.count, key);
                return at >= 0 ? node.values[at] : null;
            }
            node = child(node, childIndex(node, key));
        }
        return null;
    }

    /**
     * Sets {@code key} to {@code value}; durable at the next {@link #commit()}.
     *
     * @param key   the key.
     * @param value the value.
     */
    public void put(final long key, final long value)
    {
        if (null == root())
        {
            root = new Node(true, MAX_LEAF + 1);
        }
        final Split split = insert(root, key, value);
        if (null != split)
        {
            final Node newRoot = new Node(false, MAX_CHILDREN + 1);
            newRoot.count = 2;
            newRoot.children[0] = root;
            newRoot.children[1] = split.right;
            newRoot.keys[0] = split.key;
            root = newRoot;
        }
    }

    /**
     * Writes every changed node as a new page, frees the pages they replace, and publishes the new root, all in one
     * checkpoint: when this returns the tree is durable.
     *
     * @return the checkpoint's sequence.
     */
    public long commit()
    {
        final List<PageReceipt> receipts = new ArrayList<>();
        if (null != root)
        {
            final long rootPage = write(root, receipts);
            store.setRoot(ROOT_SLOT, rootPage + 1);
        }
        store.setRoot(SIZE_SLOT, size);
        for (final long page : toFree)
        {
            store.free(page);
        }
        toFree.clear();
        final long sequence = store.checkpoint(receipts).sequence();
        // Clean nodes are read again from their pages when needed; the cache would otherwise hold the whole tree.
        root = null;
        return sequence;
    }

    /**
     * Checks the tree's order and its key count against the size slot.
     *
     * @return the number of keys found.
     * @throws IllegalStateException if the tree is malformed.
     */
    public long check()
    {
        final long[] last = {0, 0};
        final long found = null == root() ? 0 : check(root, last);
        if (found != size)
        {
            throw new IllegalStateException("tree holds " + found + " keys, its size slot says " + size);
        }
        return found;
    }

    /**
     * Closes the tree's writer (returning its unused pages); does not commit.
     */
    @Override
    public void close()
    {
        writer.close();
    }

    private long check(final Node node, final long[] last)
    {
        if (node.leaf)
        {
            for (int i = 0; i < node.count; i++)
            {
                // last[1] != 0 once a key was seen: every key must be above the one before it.
                if (0 != last[1] && node.keys[i] <= last[0])
                {
                    throw new IllegalStateException("key " + node.keys[i] + " out of order after " + last[0]);
                }
                last[0] = node.keys[i];
                last[1] = 1;
            }
            return node.count;
        }
        long total = 0;
        for (int i = 0; i < node.count; i++)
        {
            total += check(child(node, i), last);
        }
        return total;
    }

    private Node root()
    {
        if (null == root)
        {
            final long page = store.root(ROOT_SLOT) - 1;
            root = page < 0 ? null : load(page);
        }
        return root;
    }

    private Split insert(final Node node, final long key, final long value)
    {
        touch(node);
        if (node.leaf)
        {
            int at = Arrays.binarySearch(node.keys, 0, node.count, key);
            if (at >= 0)
            {
                node.values[at] = value;
                return null;
            }
            at = -at - 1;
            System.arraycopy(node.keys, at, node.keys, at + 1, node.count - at);
            System.arraycopy(node.values, at, node.values, at + 1, node.count - at);
            node.keys[at] = key;
            node.values[at] = value;
            node.count++;
            size++;
            return node.count > MAX_LEAF ? splitLeaf(node) : null;
        }
        final int index = childIndex(node, key);
        final Node child = child(node, index);
        final Split split = insert(child, key, value);
        if (null == split)
        {
            return null;
        }
        System.arraycopy(node.children, index + 1, node.children, index + 2, node.count - index - 1);
        System.arraycopy(node.childPages, index + 1, node.childPages, index + 2, node.count - index - 1);
        System.arraycopy(node.keys, index, node.keys, index + 1, node.count - 1 - index);
        node.children[index + 1] = split.right;
        node.childPages[index + 1] = -1;
        node.keys[index] = split.key;
        node.count++;
        return node.count > MAX_CHILDREN ? splitInner(node) : null;
    }

    private static Split splitLeaf(final Node node)
    {
        final Node right = new Node(true, MAX_LEAF + 1);
        final int half = node.count / 2;
        right.count = node.count - half;
        System.arraycopy(node.keys, half, right.keys, 0, right.count);
        System.arraycopy(node.values, half, right.values, 0, right.count);
        node.count = half;
        return new Split(right.keys[0], right);
    }

    private static Split splitInner(final Node node)
    {
        final Node right = new Node(false, MAX_CHILDREN + 1);
        final int half = node.count / 2;
        right.count = node.count - half;
        System.arraycopy(node.children, half, right.children, 0, right.count);
        System.arraycopy(node.childPages, half, right.childPages, 0, right.count);
        System.arraycopy(node.keys, half, right.keys, 0, right.count - 1);
        final long separator = node.keys[half - 1];
        node.count = half;
        Arrays.fill(node.children, half, node.children.length, null);
        return new Split(separator, right);
    }

    private void touch(final Node node)
    {
        // Copy-on-write: the first change of a node since the last commit retires its page.
        if (node.page >= 0)
        {
            toFree.add(node.page);
            node.page = -1;
        }
    }

    private static int childIndex(final Node node, final long key)
    {
        final int at = Arrays.binarySearch(node.keys, 0, node.count - 1, key);
        return at >= 0 ? at + 1 : -at - 1;
    }

    private Node child(final Node node, final int index)
    {
        if (null == node.children[index])
        {
            node.children[index] = load(node.childPages[index]);
        }
        return node.children[index];
    }

    private long write(final Node node, final List<PageReceipt> receipts)
    {
        if (node.page >= 0)
        {
            return node.page;
        }
        if (!node.leaf)
        {
            for (int i = 0; i < node.count; i++)
            {
                if (null != node.children[i])
                {
                    node.childPages[i] = write(node.children[i], receipts);
                }
            }
        }
        pageView.setMemory(0, PageStore.PAGE_SIZE, (byte)0);
        pageView.putInt(0, node.leaf ? 0 : 1);
        pageView.putInt(4, node.count);
        if (node.leaf)
        {
            for (int i = 0; i < node.count; i++)
            {
                pageView.putLong(8 + 8 * i, node.keys[i]);
                pageView.putLong(8 + 8 * MAX_LEAF + 8 * i, node.values[i]);
            }
        }
        else
        {
            for (int i = 0; i < node.count; i++)
            {
                pageView.putLong(8 + 8 * i, node.childPages[i]);
            }
            for (int i = 0; i < node.count - 1; i++)
            {
                pageView.putLong(8 + 8 * MAX_CHILDREN + 8 * i, node.keys[i]);
            }
        }
        final long page = writer.allocate();
        receipts.add(writer.write(page, pageView.byteArray()));
        node.page = page;
        return page;
    }

    private Node load(final long page)
    {
        store.read(page, pageView.byteArray());
        final boolean leaf = 0 == pageView.getInt(0);
        final Node node = new Node(leaf, leaf ? MAX_LEAF + 1 : MAX_CHILDREN + 1);
        node.count = pageView.getInt(4);
        node.page = page;
        if (leaf)
        {
            for (int i = 0; i < node.count; i++)
            {
                node.keys[i] = pageView.getLong(8 + 8 * i);
                node.values[i] = pageView.getLong(8 + 8 * MAX_LEAF + 8 * i);
            }
        }
        else
        {
            for (int i = 0; i < node.count; i++)
            {
                node.childPages[i] = pageView.getLong(8 + 8 * i);
            }
            for (int i = 0; i < node.count - 1; i++)
            {
                node.keys[i] = pageView.getLong(8 + 8 * MAX_CHILDREN + 8 * i);
            }
        }
        return node;
    }

    private record Split(long key, Node right)
    {
    }

    private static final class Node
    {
        final boolean leaf;
        final long[] keys;
        final long[] values;
        final long[] childPages;
        final Node[] children;
        int count;
        long page = -1;

        Node(final boolean leaf, final int capacity)
        {
            this.leaf = leaf;
            this.keys = new long[capacity];
            this.values = leaf ? new long[capacity] : null;
            this.childPages = leaf ? null : new long[capacity];
            this.children = leaf ? null : new Node[capacity];
        }
    }
}
