/**
 * The archive's search: its index, filled when a post is archived ({@link jp.kitamoto.lists.search.ArchiveIndex}),
 * and the search over it ({@link jp.kitamoto.lists.search.ArchiveSearch}). A package of its own because it reads
 * mail ({@code mime}) while {@code mime} already uses {@code service}: in {@code service} it would close a cycle.
 */
package jp.kitamoto.lists.search;
