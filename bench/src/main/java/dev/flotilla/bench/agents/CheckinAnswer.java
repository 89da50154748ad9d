package dev.flotilla.bench.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * What a simulated agent takes from a check-in answer: each action's id, type and (POLICY_CHANGE) policy
 * revision, and the ack token. A gzip body (the agents send {@code Accept-Encoding: gzip}, as an Elastic Agent's
 * Go HTTP client does) is inflated here.
 *
 * <p>A real agent reads all of every answer on its own CPU; 50,000 simulated agents share one core, and reading a
 * full policy of ~7 KB for each would make the load generators the bound of the fan-out. So a {@link #head} read
 * inflates and tokenises only the first {@value #HEAD_BYTES} bytes, where the server puts the action's id, type and
 * policy id and revision; it stops there, and the ack token (after the actions) is then unknown. A {@link #full}
 * read (one answer in {@code --full-read-every}) inflates all of it, which checks the gzip trailer (CRC-32 and
 * length) and reads the whole JSON two ways (a tree, and the tokens as the head read walks them), which must agree.
 */
record CheckinAnswer(List<Action> actions, String ackToken) {

    static final int HEAD_BYTES = 2048;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

    record Action(String id, String type, long policyRevision) {
    }

    /** The first {@value #HEAD_BYTES} bytes of the body, read for actions; the rest is not inflated or parsed. */
    static CheckinAnswer head(ByteBuf content, boolean gzip) throws IOException {
        byte[] head = gzip ? inflateHead(content) : bytes(content, HEAD_BYTES);
        boolean whole = gzip ? head.length < HEAD_BYTES : content.readableBytes() <= HEAD_BYTES;
        return tokens(head, whole);
    }

    /** The whole body, inflated (trailer checked) and parsed; fails when the head read would say otherwise. */
    static CheckinAnswer full(ByteBuf content, boolean gzip) throws IOException {
        return parse(whole(content, gzip));
    }

    /** A whole body read as a tree and as tokens (as {@link #head} reads it); the two must agree. */
    static CheckinAnswer parse(byte[] json) throws IOException {
        JsonNode tree = JSON.readTree(json); // the whole document must be JSON
        List<Action> actions = new ArrayList<>();
        for (JsonNode a : tree.path("actions")) {
            actions.add(new Action(a.path("id").asText(null), a.path("type").asText(null),
                    a.path("data").path("policy").path("revision").asLong(-1)));
        }
        CheckinAnswer answer = new CheckinAnswer(actions, tree.path("ack_token").asText(null));
        CheckinAnswer streamed = tokens(json, true);
        if (!streamed.equals(answer)) {
            throw new IOException("check-in answer read two ways differs: " + streamed + " vs " + answer);
        }
        return answer;
    }

    /**
     * The actions ({@code actions[].id}, {@code .type}, {@code .data.policy.revision}) and {@code ack_token} of a
     * body or of its first bytes, tokenised with Jackson's non-blocking parser: at a cut it says "no more input"
     * instead of throwing (a thrown exception per answer costs the load generators a stack trace). An action cut
     * off is kept when what an agent needs to ack it came before the cut; {@code whole}: there is no cut, and a
     * body that ends before its last brace is an error.
     */
    private static CheckinAnswer tokens(byte[] json, boolean whole) throws IOException {
        List<Action> actions = new ArrayList<>();
        String ackToken = null;
        // fields[d]: the field being read in the container at depth d (1 = the body's object)
        String[] fields = new String[8];
        int depth = 0;
        String id = null;
        String type = null;
        long revision = -1;
        try (JsonParser p = FACTORY.createNonBlockingByteArrayParser()) {
            ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(json, 0, json.length);
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = p.nextToken()) {
                boolean inAction = depth >= 3 && "actions".equals(fields[1]);
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth < fields.length) {
                            fields[depth] = null;
                        }
                        if (depth == 3 && "actions".equals(fields[1])) {
                            id = null;
                            type = null;
                            revision = -1;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (depth == 3 && inAction) {
                            actions.add(new Action(id, type, revision));
                        }
                        depth--;
                    }
                    case FIELD_NAME -> {
                        if (depth < fields.length) {
                            fields[depth] = p.currentName();
                        }
                    }
                    case VALUE_STRING -> {
                        if (depth == 1 && "ack_token".equals(fields[1])) {
                            ackToken = p.getText();
                        } else if (depth == 3 && inAction && "id".equals(fields[3])) {
                            id = p.getText();
                        } else if (depth == 3 && inAction && "type".equals(fields[3])) {
                            type = p.getText();
                        }
                    }
                    case VALUE_NUMBER_INT -> {
                        if (depth == 5 && inAction && "data".equals(fields[3]) && "policy".equals(fields[4])
                                && "revision".equals(fields[5])) {
                            revision = p.getLongValue();
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        if (whole && depth != 0) {
            throw new IOException("check-in answer: the JSON ends after " + json.length + " bytes, inside its value");
        }
        boolean cutInAction = depth >= 3 && "actions".equals(fields[1]);
        if (cutInAction && id != null && type != null && (!type.equals("POLICY_CHANGE") || revision >= 0)) {
            actions.add(new Action(id, type, revision));
        }
        return new CheckinAnswer(actions, ackToken);
    }

    /** The whole body, inflated when it is gzip (trailer checked). */
    static byte[] whole(ByteBuf content, boolean gzip) throws IOException {
        return gzip ? inflate(content, Integer.MAX_VALUE) : bytes(content, Integer.MAX_VALUE);
    }

    private static byte[] bytes(ByteBuf content, int max) {
        byte[] out = new byte[Math.min(max, content.readableBytes())];
        content.getBytes(content.readerIndex(), out);
        return out;
    }

    private static final ThreadLocal<java.util.zip.Inflater> INFLATER =
            ThreadLocal.withInitial(() -> new java.util.zip.Inflater(true));

    /**
     * The first {@value #HEAD_BYTES} inflated bytes (fewer when the body is shorter), with one raw inflater per
     * thread, reset for each body, instead of a {@link GZIPInputStream} (and its native inflater) per answer. A gzip
     * header with optional fields goes the stream's way.
     */
    private static byte[] inflateHead(ByteBuf content) throws IOException {
        int from = content.readerIndex();
        int n = content.readableBytes();
        if (n < 18 || content.getByte(from) != 0x1f || content.getByte(from + 1) != (byte) 0x8b
                || content.getByte(from + 2) != 8) {
            throw new IOException("gzip body: no gzip header");
        }
        if (content.getByte(from + 3) != 0) {
            return inflate(content, HEAD_BYTES);
        }
        byte[] in = new byte[n - 10];
        content.getBytes(from + 10, in);
        java.util.zip.Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(in);
        byte[] out = new byte[HEAD_BYTES];
        int got = 0;
        try {
            while (got < out.length && !inflater.finished()) {
                int k = inflater.inflate(out, got, out.length - got);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("gzip body: deflate data ends early");
                }
                got += k;
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException("gzip body: " + e.getMessage(), e);
        }
        return got == out.length ? out : java.util.Arrays.copyOf(out, got);
    }

    /** Up to {@code max} inflated bytes; with all of them, the gzip trailer (CRC-32, length) has been checked. */
    private static byte[] inflate(ByteBuf content, int max) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteBufInputStream(content.duplicate()), 4096)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 16 * 1024));
            byte[] buf = new byte[Math.min(max, 8192)];
            int n;
            while (out.size() < max && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) > 0) {
                out.write(buf, 0, n);
            }
            if (max == Integer.MAX_VALUE && in.read() >= 0) {
                throw new IOException("gzip body: data after the end");
            }
            return out.toByteArray();
        }
    }
}
