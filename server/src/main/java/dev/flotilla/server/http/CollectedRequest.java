package dev.flotilla.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;

/** A request whose body has been read in full (within its endpoint's limit), with its route (null: none). */
record CollectedRequest(HttpRequest head, ByteBuf body, Router.Match match) {
}
