package jp.kitamoto.lists.mail.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.util.ArrayList;
import java.util.List;

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
        long length = 0;
        for (byte[] a : arrays) {
            length += a.length;
        }
        return length <= SLICE ? Unpooled.wrappedBuffer(arrays) : new ByteArraysInput(arrays, length);
    }

    ByteArraysInput(byte[][] arrays, long length) {
        this.arrays = arrays;
        this.length = length;
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
        List<ByteBuf> parts = new ArrayList<>(2);
        while (room > 0 && array < arrays.length) {
            byte[] a = arrays[array];
            int n = Math.min(room, a.length - offset);
            if (n > 0) {
                parts.add(Unpooled.wrappedBuffer(a, offset, n));
                offset += n;
                room -= n;
                progress += n;
            }
            if (offset == a.length) {
                array++;
                offset = 0;
            }
        }
        return parts.size() == 1 ? parts.get(0) : Unpooled.wrappedBuffer(parts.toArray(new ByteBuf[0]));
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
