package dev.flotilla.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.zip.CRC32;

/**
 * A JSON response body made of per-response bytes around a {@link SharedJson} (a policy answer: the agent's fields
 * around its policy revision's data). The gzip form puts the bytes before and after the shared part in stored
 * (uncompressed) deflate blocks around the shared part's deflate blocks, compressed once per revision. Each form is
 * one array: a composite buffer would be copied whole once more when the TLS handler reads it ({@code nioBuffer}).
 * A gzip policy answer so costs a CRC-32 of its bytes, not a deflate of ~7 KB each (at a fan-out to 50,000 agents
 * that all send {@code Accept-Encoding: gzip}, that was more than the server's budget).
 *
 * @param head   the body's bytes before the shared part
 * @param shared the shared part
 * @param tail   the body's bytes after it
 */
record SplicedBody(byte[] head, SharedJson shared, byte[] tail) {
    private static final int STORED_MAX = 65_535;
    /** ID1 ID2, CM=deflate, no flags, MTIME 0, XFL 0, OS unknown (RFC 1952). */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /** Bytes of the plain body. */
    int length() {
        return head.length + shared.utf8().length + tail.length;
    }

    /** The plain body. */
    ByteBuf plain() {
        return Unpooled.wrappedBuffer(plainBytes());
    }

    /** The plain body's bytes (a new array). */
    byte[] plainBytes() {
        byte[] data = shared.utf8();
        byte[] out = new byte[length()];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        System.arraycopy(tail, 0, out, head.length + data.length, tail.length);
        return out;
    }

    /** The body as a gzip member: header, deflate blocks, CRC-32 and length of the plain body. */
    ByteBuf gzip() {
        byte[] deflated = shared.deflated();
        int size = GZIP_HEADER.length + stored(head.length) + deflated.length + stored(tail.length) + 8;
        byte[] out = new byte[size];
        System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
        int at = storedBlocks(out, GZIP_HEADER.length, head, false);
        System.arraycopy(deflated, 0, out, at, deflated.length);
        at = storedBlocks(out, at + deflated.length, tail, true);
        CRC32 crc = new CRC32();
        crc.update(head);
        crc.update(shared.utf8());
        crc.update(tail);
        at = int32le(out, at, (int) crc.getValue());
        at = int32le(out, at, length());
        if (at != size) {
            throw new IllegalStateException("gzip body: wrote " + at + " of " + size + " bytes");
        }
        return Unpooled.wrappedBuffer(out);
    }

    /** Bytes of {@code n} bytes as stored blocks (5 bytes of header per block of up to 65,535; one even when empty). */
    private static int stored(int n) {
        int blocks = Math.max(1, (n + STORED_MAX - 1) / STORED_MAX);
        return n + 5 * blocks;
    }

    private static int storedBlocks(byte[] out, int at, byte[] data, boolean last) {
        int from = 0;
        do {
            int len = Math.min(STORED_MAX, data.length - from);
            boolean end = last && from + len == data.length;
            out[at++] = (byte) (end ? 1 : 0); // BFINAL, BTYPE=00 (stored); the stream is byte-aligned here
            out[at++] = (byte) len;
            out[at++] = (byte) (len >>> 8);
            out[at++] = (byte) ~len;
            out[at++] = (byte) (~len >>> 8);
            System.arraycopy(data, from, out, at, len);
            at += len;
            from += len;
        } while (from < data.length);
        return at;
    }

    private static int int32le(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
        return at + 4;
    }
}
