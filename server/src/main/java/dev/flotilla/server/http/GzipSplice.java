package dev.flotilla.server.http;

import java.util.zip.CRC32;

/**
 * A response body in gzip form made without compressing it per response: the bytes before and after a
 * {@link SharedJson} go in as stored (uncompressed) deflate blocks, the shared part as its deflate blocks made once.
 * A per-agent policy answer so costs a CRC-32 of its bytes and a copy, not a deflate of ~10 KB each (which, at a
 * fan-out to 50,000 agents that all send {@code Accept-Encoding: gzip}, was the server's whole budget).
 *
 * @param head   the body's bytes before the shared part
 * @param shared the shared part
 * @param tail   the body's bytes after it
 */
record GzipSplice(byte[] head, SharedJson shared, byte[] tail) {
    private static final int STORED_MAX = 65_535;

    /** The body as a gzip member (RFC 1952): header, deflate blocks, CRC-32 and length of {@code body}. */
    byte[] encode(byte[] body) {
        byte[] deflated = shared.deflated();
        int size = 10 + stored(head.length) + deflated.length + stored(tail.length) + 8;
        byte[] out = new byte[size];
        int at = 0;
        // ID1 ID2, CM=deflate, no flags, MTIME 0, XFL 0, OS unknown
        byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        System.arraycopy(header, 0, out, 0, header.length);
        at += header.length;
        at = storedBlocks(out, at, head, false);
        System.arraycopy(deflated, 0, out, at, deflated.length);
        at += deflated.length;
        at = storedBlocks(out, at, tail, true);
        CRC32 crc = new CRC32();
        crc.update(body, 0, body.length);
        at = int32le(out, at, (int) crc.getValue());
        at = int32le(out, at, body.length);
        if (at != size) {
            throw new IllegalStateException("gzip splice: wrote " + at + " of " + size + " bytes");
        }
        return out;
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
