package dev.flotilla.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * A JSON value that many response bodies carry byte for byte (a policy revision's {@code data}, the same in the
 * answer to every agent of that policy), serialised once. Put in a tree as
 * {@code node.putRawValue(name, new RawValue(shared))}; serialised by any mapper it is its JSON text.
 * {@link ApiResponse#json} notices it and keeps it apart from the bytes around it, so a gzip answer
 * ({@link SplicedBody}) sends its deflate form, compressed once ({@link #deflated()}) instead of for every agent.
 */
public final class SharedJson implements JsonSerializable {
    /** Deflate level of the shared part: it is compressed once, so the smallest output is worth the time. */
    static final int LEVEL = Deflater.BEST_COMPRESSION;

    private final byte[] utf8;
    private final SerializedString text;
    private volatile byte[] deflated;

    public SharedJson(String json) {
        this.utf8 = json.getBytes(StandardCharsets.UTF_8);
        this.text = new SerializedString(json);
    }

    /** The JSON text as UTF-8 (not a copy: do not change it). */
    byte[] utf8() {
        return utf8;
    }

    /**
     * The text as raw deflate blocks (no header, no final block), ending on a sync flush so that more blocks can
     * follow it; its matches refer only to bytes inside it, so it can stand anywhere in a deflate stream.
     */
    byte[] deflated() {
        byte[] d = deflated;
        if (d == null) {
            d = deflate(utf8);
            deflated = d;
        }
        return d;
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 3 + 64);
            byte[] buf = new byte[Math.max(1024, input.length / 2)];
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length || !deflater.needsInput());
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        Object splice = serializers.getAttribute(ApiResponse.Splice.class);
        if (splice instanceof ApiResponse.Splice s && s.take(this)) {
            gen.writeRawValue(ApiResponse.Splice.MARKER);
        } else {
            gen.writeRawValue(text);
        }
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }

    @Override
    public String toString() {
        return text.getValue();
    }
}
