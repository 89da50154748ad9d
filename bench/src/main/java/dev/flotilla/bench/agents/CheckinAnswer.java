package dev.flotilla.bench.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
        return whole ? read(head) : readHead(head);
    }

    /**
     * The actions in the first bytes of a body, tokenised with Jackson's non-blocking parser: at the cut it says
     * "no more input" instead of throwing (a thrown exception per answer costs the load generators a stack trace).
     */
    private static CheckinAnswer readHead(byte[] json) throws IOException {
        List<Action> actions = new ArrayList<>();
        try (JsonParser p = FACTORY.createNonBlockingByteArrayParser()) {
            ((com.fasterxml.jackson.core.async.ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(json, 0,
                    json.length);
            int depth = 0;
            String id = null;
            String type = null;
            long revision = -1;
            String field = null;
            boolean inActions = false;
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth == 2 && "actions".equals(field) && t == JsonToken.START_ARRAY) {
                            inActions = true;
                        }
                        if (inActions && depth == 3) {
                            id = null;
                            type = null;
                            revision = -1;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (inActions && depth == 3) {
                            actions.add(new Action(id, type, revision));
                            id = null;
                            type = null;
                        }
                        if (inActions && depth == 2) {
                            inActions = false;
                        }
                        depth--;
                    }
                    case FIELD_NAME -> field = p.currentName();
                    case VALUE_STRING -> {
                        if (inActions && depth == 3 && "id".equals(field)) {
                            id = p.getText();
                        } else if (inActions && depth == 3 && "type".equals(field)) {
                            type = p.getText();
                        }
                    }
                    case VALUE_NUMBER_INT -> {
                        // actions[i].data.policy.revision: depth 5 (top, actions, action, data, policy)
                        if (inActions && depth == 5 && "revision".equals(field)) {
                            revision = p.getLongValue();
                        }
                    }
                    default -> {
                    }
                }
            }
            // cut inside an action: kept when what an agent needs to ack it came before the cut
            if (inActions && id != null && type != null && (!type.equals("POLICY_CHANGE") || revision >= 0)) {
                actions.add(new Action(id, type, revision));
            }
        }
        return new CheckinAnswer(actions, null);
    }

    /** The whole body, inflated (trailer checked) and parsed; fails when the head read would say otherwise. */
    static CheckinAnswer full(ByteBuf content, boolean gzip) throws IOException {
        byte[] all = whole(content, gzip);
        JsonNode tree = JSON.readTree(all); // the whole document must be JSON
        List<Action> actions = new ArrayList<>();
        for (JsonNode a : tree.path("actions")) {
            actions.add(new Action(a.path("id").asText(null), a.path("type").asText(null),
                    a.path("data").path("policy").path("revision").asLong(-1)));
        }
        CheckinAnswer answer = new CheckinAnswer(actions, tree.path("ack_token").asText(null));
        CheckinAnswer streamed = read(all);
        if (!streamed.equals(answer)) {
            throw new IOException("check-in answer read two ways differs: " + streamed + " vs " + answer);
        }
        return answer;
    }

    /** A whole body, tokenised. */
    private static CheckinAnswer read(byte[] json) throws IOException {
        List<Action> actions = new ArrayList<>();
        String ackToken = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("actions") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        action(p, actions);
                    }
                } else if (field.equals("ack_token") && value == JsonToken.VALUE_STRING) {
                    ackToken = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new CheckinAnswer(actions, ackToken);
    }

    /** Adds one action object (the parser is on its START_OBJECT). */
    private static void action(JsonParser p, List<Action> actions) throws IOException {
        String id = null;
        String type = null;
        long revision = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("id") && value == JsonToken.VALUE_STRING) {
                id = p.getText();
            } else if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                type = p.getText();
            } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                revision = policyRevision(p, revision);
            } else {
                p.skipChildren();
            }
        }
        actions.add(new Action(id, type, revision));
    }

    /** {@code data.policy.revision} (the parser is on data's START_OBJECT; leaves it on data's END_OBJECT). */
    private static long policyRevision(JsonParser p, long revision) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("policy") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    JsonToken v = p.nextToken();
                    if (inner.equals("revision") && v == JsonToken.VALUE_NUMBER_INT) {
                        revision = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return revision;
    }

    private static void expect(JsonToken got, JsonToken wanted) throws IOException {
        if (got != wanted) {
            throw new IOException("check-in answer: expected " + wanted + ", got " + got);
        }
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
