package jp.kitamoto.lists.mail.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Byte arrays written in slices of at most {@link #SLICE} octets, as the connection can take them
 * ({@link ChunkedWriteHandler} asks for the next slice only while the channel is writable). Nothing is copied here:
 * each slice wraps the arrays. Netty copies a slice into direct memory only when it writes it to the socket, so a
 * connection holds about one slice plus its write buffer of direct memory, whatever the size of the copy: a post
 * with a 5 MB attachment, 16 copies written ahead on each of 32 connections, would otherwise need 2.5 GB of the 64 MB
 * the server runs with (run.sh), and the I/O thread would wait for memory that never comes.
 */
final class ByteArraysInput implements ChunkedInput<ByteBuf> {
    static final int SLICE = 64 * 1024;

    private final byte[][] arrays;
    private final long length;
    private int array;
    private int offset;
    private long progress;

    /**
     * What to write for these arrays: one wrapped buffer when they fit in a slice (nearly every copy: written with
     * the others of its window and flushed once, where {@link ChunkedWriteHandler} would flush each input on its
     * own), else an input that gives them slice by slice.
     */
    static Object message(byte[]... arrays) {
        long n = 0;
        for (byte[] a : arrays) {
            n += a.length;
        }
        return n <= SLICE ? Unpooled.wrappedBuffer(arrays) : new ByteArraysInput(arrays);
    }

    ByteArraysInput(byte[]... arrays) {
        this.arrays = arrays;
        long n = 0;
        for (byte[] a : arrays) {
            n += a.length;
        }
        this.length = n;
    }

    @Override
    public boolean isEndOfInput() {
        return progress == length;
    }

    @Override
    public void close() {
        // Nothing to release: the arrays belong to the copy and the post.
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int room = SLICE;
        CompositeByteBuf slice = null;
        ByteBuf single = null;
        while (room > 0 && array < arrays.length) {
            byte[] a = arrays[array];
            int n = Math.min(room, a.length - offset);
            if (n > 0) {
                ByteBuf part = Unpooled.wrappedBuffer(a, offset, n);
                if (single == null && slice == null) {
                    single = part;
                } else {
                    if (slice == null) {
                        slice = Unpooled.compositeBuffer(arrays.length);
                        slice.addComponent(true, single);
                    }
                    slice.addComponent(true, part);
                }
                offset += n;
                room -= n;
                progress += n;
            }
            if (offset == a.length) {
                array++;
                offset = 0;
            }
        }
        return slice != null ? slice : single;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return progress;
    }
}
