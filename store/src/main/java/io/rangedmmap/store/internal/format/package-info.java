/**
 * The store's on-disk format, one class per structure; the Javadoc of each is the specification. <b>Not API.</b>
 *
 * <p>{@link io.rangedmmap.store.internal.format.StoreLayout} places the structures in the file;
 * {@link io.rangedmmap.store.internal.format.SuperblockDescriptor} and
 * {@link io.rangedmmap.store.internal.format.MetadataPageDescriptor} give their bytes;
 * {@link io.rangedmmap.store.internal.format.FormatVersion} the magic number and version every format keeps in
 * place. All integers are little-endian; every structure carries a CRC32C.
 */
package io.rangedmmap.store.internal.format;
